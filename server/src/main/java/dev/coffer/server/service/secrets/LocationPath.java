package dev.coffer.server.service.secrets;

import dev.coffer.server.domain.CofferException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A validated absolute location path: "/" or "/Seg/Seg" with segments of 1-64 letters,
 * digits, ' ', '_', '.' or '-', at most 16 levels. "." and ".." are not segments.
 */
public record LocationPath(String path) {

  public static final LocationPath ROOT = new LocationPath("/");
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9 _.-]{1,64}");
  private static final int MAX_DEPTH = 16;

  /** Parses {@code value} as the field {@code field}; a trailing '/' is tolerated. */
  public static LocationPath parse(String field, String value) {
    if (value == null || value.isEmpty()) {
      throw CofferException.invalid(field, "must not be empty; \"/\" is the root");
    }
    if (!value.startsWith("/")) {
      throw CofferException.invalid(field, "must be an absolute path starting with '/'");
    }
    String trimmed = value.length() > 1 && value.endsWith("/")
        ? value.substring(0, value.length() - 1) : value;
    if (trimmed.equals("/")) {
      return ROOT;
    }
    String[] segments = trimmed.substring(1).split("/", -1);
    if (segments.length > MAX_DEPTH) {
      throw CofferException.invalid(field, "must be at most " + MAX_DEPTH + " levels deep");
    }
    for (String s : segments) {
      if (!SEGMENT.matcher(s).matches() || s.equals(".") || s.equals("..") || s.isBlank()) {
        throw CofferException.invalid(field,
            "segments must be 1-64 letters, digits, ' ', '_', '.' or '-' (not '.' or '..')");
      }
    }
    return new LocationPath(trimmed);
  }

  public boolean isRoot() {
    return path.equals("/");
  }

  /** This path's ancestors from the root down, excluding itself. */
  public List<LocationPath> ancestors() {
    List<LocationPath> result = new ArrayList<>();
    result.add(ROOT);
    int from = 1;
    int slash;
    while ((slash = path.indexOf('/', from)) > 0) {
      result.add(new LocationPath(path.substring(0, slash)));
      from = slash + 1;
    }
    if (isRoot()) {
      result.clear();
    }
    return result;
  }

  /** The path with a trailing '/', so that "/A/" is a byte prefix of "/A/B/" but not "/AB/". */
  public String subtreePrefix() {
    return isRoot() ? "/" : path + "/";
  }

  @Override
  public String toString() {
    return path;
  }
}
