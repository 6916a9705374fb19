package dev.coffer.server.domain;

import java.util.regex.Pattern;

/**
 * One claim condition of a trusted issuer's binding: the claim must equal {@code equals}
 * exactly, or match {@code pattern}, a glob where {@code '*'} matches one or more characters
 * other than {@code ':'} and {@code '/'} and everything else is literal. Exactly one of the
 * two is non-empty (checked where an issuer is created). A pattern never reaches across a
 * {@code ':'} or {@code '/'} separator, so {@code repo:acme/*:ref:refs/heads/main} cannot
 * match another organisation's repository.
 *
 * @param claim the claim name, e.g. {@code sub}
 * @param equals the exact value, or empty
 * @param pattern the glob, or empty
 */
public record ClaimMatch(String claim, String equals, String pattern) {

  public ClaimMatch {
    claim = claim == null ? "" : claim;
    equals = equals == null ? "" : equals;
    pattern = pattern == null ? "" : pattern;
  }

  /** A condition that the claim is exactly {@code value}. */
  public static ClaimMatch exactly(String claim, String value) {
    return new ClaimMatch(claim, value, "");
  }

  /** A condition that the claim matches the glob {@code pattern}. */
  public static ClaimMatch glob(String claim, String pattern) {
    return new ClaimMatch(claim, "", pattern);
  }

  /** Whether {@code value} (a claim's string form; null when absent) satisfies this. */
  public boolean matches(String value) {
    if (value == null || value.isEmpty()) {
      return false;
    }
    if (!pattern.isEmpty()) {
      return regex(pattern).matcher(value).matches();
    }
    return !equals.isEmpty() && equals.equals(value);
  }

  /** Literal characters before the first {@code '*'} of a glob. */
  public static int literalPrefixLength(String glob) {
    int star = glob.indexOf('*');
    return star < 0 ? glob.length() : star;
  }

  private static Pattern regex(String glob) {
    StringBuilder re = new StringBuilder();
    int from = 0;
    for (int star = glob.indexOf('*'); star >= 0; star = glob.indexOf('*', from)) {
      if (star > from) {
        re.append(Pattern.quote(glob.substring(from, star)));
      }
      re.append("[^:/]+");
      from = star + 1;
    }
    if (from < glob.length()) {
      re.append(Pattern.quote(glob.substring(from)));
    }
    return Pattern.compile(re.toString());
  }
}
