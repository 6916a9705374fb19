package dev.coffer.server.service.kernel;

import dev.coffer.server.domain.CofferException;
import java.util.regex.Pattern;

/**
 * The syntax rules of request fields. Each check throws INVALID_ARGUMENT naming the
 * field and saying what is allowed; none echoes more than the rule itself.
 */
public final class FieldRules {

  private static final Pattern TENANT_ID = Pattern.compile("[a-z][a-z0-9-]{1,62}");
  private static final Pattern PRINCIPAL_ID = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{1,63}");
  private static final Pattern CLIENT_NAME = Pattern.compile("[A-Za-z0-9_]{5,64}");
  private static final Pattern ENVIRONMENT = Pattern.compile("[a-z][a-z0-9-]{1,31}");
  private static final Pattern SCOPE_ID = Pattern.compile("[A-Za-z][A-Za-z0-9._:-]{1,127}");

  private FieldRules() {}

  public static String tenantId(String field, String value) {
    return matching(field, value, TENANT_ID,
        "2-63 characters: lower-case letters, digits and '-', starting with a letter");
  }

  public static String principalId(String field, String value) {
    return matching(field, value, PRINCIPAL_ID,
        "2-64 characters: letters, digits, '.', '_' and '-', starting with a letter");
  }

  public static String clientName(String field, String value) {
    return matching(field, value, CLIENT_NAME,
        "5-64 characters: letters, digits and '_' only");
  }

  public static String environment(String field, String value) {
    return matching(field, value, ENVIRONMENT,
        "2-32 characters: lower-case letters, digits and '-', starting with a letter");
  }

  /** Scope ids, e.g. {@code orders.read}. */
  public static String scopeId(String field, String value) {
    return matching(field, value, SCOPE_ID,
        "2-128 characters: letters, digits, '.', '_', ':' and '-', starting with a letter");
  }

  /** Server-generated identifiers (secret ids, client ids, token ids) as they appear in names. */
  public static String opaqueId(String field, String value) {
    if (value == null || value.isEmpty()) {
      throw CofferException.invalid(field, "must not be empty");
    }
    // [A-Za-z0-9_-]{1,64} by hand: checked on every call's ids, where a regex cost 2 %.
    boolean ok = value.length() <= 64;
    for (int i = 0; ok && i < value.length(); i++) {
      char c = value.charAt(i);
      ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '_' || c == '-';
    }
    if (!ok) {
      throw CofferException.invalid(field,
          "is not a valid identifier (1-64 letters, digits, '_' or '-')");
    }
    return value;
  }

  /**
   * Printable text of 1..max characters: no control characters (Unicode Cc), no invisible
   * format characters (Cf: zero-width spaces, bidirectional overrides and isolates, the
   * byte-order mark, ...) and no line or paragraph separators, so that what an approver,
   * a listing or an audit reader sees is what was stored.
   */
  public static String displayText(String field, String value, int max) {
    if (value == null || value.isBlank()) {
      throw CofferException.invalid(field, "must not be empty");
    }
    return optionalText(field, value, max);
  }

  /** As {@link #displayText}, but 0..max characters; null counts as empty. */
  public static String optionalText(String field, String value, int max) {
    if (value == null) {
      return "";
    }
    if (value.length() > max) {
      throw CofferException.invalid(field, "must be at most " + max + " characters");
    }
    for (int i = 0; i < value.length(); ) {
      int cp = value.codePointAt(i);
      if (!printable(cp)) {
        throw CofferException.invalid(field,
            "must not contain control, invisible format or line separator characters");
      }
      i += Character.charCount(cp);
    }
    return value;
  }

  /**
   * An etag given back by a caller: empty (no check), or the {@code r<revision>} form the
   * server hands out. A well-formed but stale etag is the service's ABORTED, not this.
   */
  public static String etag(String field, String value) {
    if (value == null || value.isEmpty()) {
      return "";
    }
    boolean ok = value.length() >= 2 && value.length() <= 20 && value.charAt(0) == 'r';
    for (int i = 1; ok && i < value.length(); i++) {
      char c = value.charAt(i);
      ok = c >= '0' && c <= '9';
    }
    if (!ok) {
      throw CofferException.invalid(field,
          "must be empty or an etag as returned by the server ('r' and 1-19 digits)");
    }
    return value;
  }

  private static boolean printable(int cp) {
    return switch (Character.getType(cp)) {
      case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR, Character.SURROGATE -> false;
      default -> true;
    };
  }

  /** Strips {@code prefix} from a resource name such as {@code secrets/abc}, then checks the id. */
  public static String resourceId(String field, String name, String prefix) {
    if (name == null || name.isEmpty()) {
      throw CofferException.invalid(field, "must not be empty; expected " + prefix + "{id}");
    }
    if (!name.startsWith(prefix)) {
      throw CofferException.invalid(field, "must have the form " + prefix + "{id}");
    }
    return opaqueId(field, name.substring(prefix.length()));
  }

  private static String matching(String field, String value, Pattern pattern, String rule) {
    if (value == null || value.isEmpty()) {
      throw CofferException.invalid(field, "must not be empty");
    }
    if (!pattern.matcher(value).matches()) {
      throw CofferException.invalid(field, "must be " + rule);
    }
    return value;
  }
}
