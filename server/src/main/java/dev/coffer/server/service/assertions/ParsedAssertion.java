package dev.coffer.server.service.assertions;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The header and claims of a client assertion (a JWS compact serialization), read without
 * checking its signature, so that each claim can be checked and named on its own. Nothing
 * here is trusted before the signature verifies.
 *
 * @param kid null when the header has none
 * @param audiences empty when there is no aud
 * @param expiration null when absent (likewise notBefore, issuedAt, issuer, subject, jwtId)
 */
record ParsedAssertion(String algorithm, String kid, String issuer, String subject,
    List<String> audiences, Instant expiration, Instant notBefore, Instant issuedAt,
    String jwtId) {

  /** Why an assertion could not be read; the message names the part, never its content. */
  static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  static final int MAX_JTI = 256;
  private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+");

  static ParsedAssertion parse(String compact) throws Malformed {
    String[] parts = compact.split("\\.", -1);
    if (parts.length != 3) {
      throw new Malformed("not a JWS compact serialization (three base64url parts joined by '.')");
    }
    JsonObject header = object(parts[0], "header");
    JsonObject claims = object(parts[1], "claims");
    if (!BASE64URL.matcher(parts[2]).matches()) {
      throw new Malformed("the signature is not base64url");
    }
    String alg = string(header, "alg", "header");
    if (alg == null) {
      throw new Malformed("the header has no alg");
    }
    String jti = string(claims, "jti", "claims");
    if (jti != null && jti.length() > MAX_JTI) {
      throw new Malformed("jti is longer than " + MAX_JTI + " characters");
    }
    ParsedAssertion parsed = new ParsedAssertion(alg, string(header, "kid", "header"),
        string(claims, "iss", "claims"), string(claims, "sub", "claims"), audiences(claims),
        time(claims, "exp"), time(claims, "nbf"), time(claims, "iat"), jti);
    if (parsed.expiration() != null && parsed.notBefore() != null
        && !parsed.notBefore().isBefore(parsed.expiration())) {
      throw new Malformed("nbf is not before exp");
    }
    return parsed;
  }

  /** An instant at which exp and nbf hold, for a signature check that ignores time. */
  Instant validAt(Instant now) {
    if (notBefore != null) {
      return notBefore;
    }
    return expiration != null ? expiration.minusMillis(1) : now;
  }

  private static JsonObject object(String part, String what) throws Malformed {
    if (part.isEmpty() || !BASE64URL.matcher(part).matches()) {
      throw new Malformed("the " + what + " is not base64url");
    }
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(part);
    } catch (IllegalArgumentException e) {
      throw new Malformed("the " + what + " is not base64url");
    }
    if (!Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(part)) {
      throw new Malformed("the " + what + " is not canonical base64url");
    }
    try {
      JsonElement json = JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8));
      if (!json.isJsonObject()) {
        throw new Malformed("the " + what + " is not a JSON object");
      }
      return json.getAsJsonObject();
    } catch (JsonParseException e) {
      throw new Malformed("the " + what + " is not JSON");
    }
  }

  private static String string(JsonObject o, String name, String where) throws Malformed {
    JsonElement e = o.get(name);
    if (e == null || e.isJsonNull()) {
      return null;
    }
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
      throw new Malformed(name + " in the " + where + " is not a string");
    }
    return e.getAsString();
  }

  private static Instant time(JsonObject claims, String name) throws Malformed {
    JsonElement e = claims.get(name);
    if (e == null || e.isJsonNull()) {
      return null;
    }
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
      throw new Malformed(name + " is not a number (NumericDate)");
    }
    double seconds = e.getAsDouble();
    if (!(seconds >= 0 && seconds < 253_402_300_800d)) {
      throw new Malformed(name + " is out of range");
    }
    return Instant.ofEpochMilli((long) (seconds * 1000));
  }

  private static List<String> audiences(JsonObject claims) throws Malformed {
    JsonElement e = claims.get("aud");
    List<String> result = new ArrayList<>();
    if (e == null || e.isJsonNull()) {
      return result;
    }
    if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
      result.add(e.getAsString());
      return result;
    }
    if (!e.isJsonArray()) {
      throw new Malformed("aud is neither a string nor an array of strings");
    }
    JsonArray array = e.getAsJsonArray();
    for (JsonElement item : array) {
      if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isString()) {
        throw new Malformed("aud is neither a string nor an array of strings");
      }
      result.add(item.getAsString());
    }
    return result;
  }
}
