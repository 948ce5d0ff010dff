package dev.guise.session.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.jr.ob.JSON;
import dev.guise.session.Cookie;
import dev.guise.session.CookieFileException;
import dev.guise.session.SameSite;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON jar file: {@code {"format": "guise-cookies", "version": 1, "cookies": [...]}}, each
 * cookie an object with every field of {@link Cookie} ({@code expires} null for a session cookie,
 * times as ISO-8601 instants). Read with the streaming parser so that an error names the line of
 * the cookie at fault; unknown fields are ignored, so that later versions can add some.
 */
public final class JsonCookieFile {

  static final String FORMAT = "guise-cookies";
  static final int VERSION = 1;

  /** No string in a valid file comes near this (a name and value are 4096 octets at most). */
  private static final int MAX_STRING = 64 * 1024;

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxStringLength(MAX_STRING)
                  .maxNestingDepth(8)
                  .build())
          .build();

  private JsonCookieFile() {}

  public static void write(List<Cookie> cookies, Writer out) throws IOException {
    List<Map<String, Object>> list = new ArrayList<>();
    for (Cookie c : cookies) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", c.name());
      m.put("value", c.value());
      m.put("domain", c.domain());
      m.put("hostOnly", c.hostOnly());
      m.put("path", c.path());
      m.put("expires", c.expires().map(Instant::toString).orElse(null));
      m.put("secure", c.secure());
      m.put("httpOnly", c.httpOnly());
      m.put("sameSite", c.sameSite().name().toLowerCase(Locale.ROOT));
      m.put("created", c.created().toString());
      m.put("lastAccessed", c.lastAccessed().toString());
      list.add(m);
    }
    Map<String, Object> file = new LinkedHashMap<>();
    file.put("format", FORMAT);
    file.put("version", VERSION);
    file.put("cookies", list);
    // asString, not write(Writer): jackson would close the caller's writer.
    out.write(
        JSON.std
            .with(JSON.Feature.PRETTY_PRINT_OUTPUT, JSON.Feature.WRITE_NULL_PROPERTIES)
            .asString(file));
    out.write('\n');
    out.flush();
  }

  public static List<Cookie> read(Reader in, Clock clock) throws IOException {
    Instant now = clock.instant();
    List<Cookie> cookies = new ArrayList<>();
    JsonParser p = FACTORY.createParser(in);
    try (p) {
      expect(p, p.nextToken(), JsonToken.START_OBJECT, "the file is not a JSON object");
      boolean formatSeen = false;
      boolean versionSeen = false;
      boolean cookiesSeen = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "format" -> {
            if (value != JsonToken.VALUE_STRING || !FORMAT.equals(p.getText())) {
              throw error(p, "\"format\" is not \"" + FORMAT + "\"");
            }
            formatSeen = true;
          }
          case "version" -> {
            if (value != JsonToken.VALUE_NUMBER_INT || p.getIntValue() != VERSION) {
              throw error(p, "unsupported version (this reads version " + VERSION + ")");
            }
            versionSeen = true;
          }
          case "cookies" -> {
            expect(p, value, JsonToken.START_ARRAY, "\"cookies\" is not an array");
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
              expect(p, t, JsonToken.START_OBJECT, "a cookie is not an object");
              if (cookies.size() == NetscapeCookieFile.MAX_COOKIES) {
                throw error(p, "more than " + NetscapeCookieFile.MAX_COOKIES + " cookies");
              }
              readCookie(p, now).ifPresent(cookies::add);
            }
            cookiesSeen = true;
          }
          default -> p.skipChildren();
        }
      }
      if (!formatSeen || !versionSeen || !cookiesSeen) {
        throw error(p, "the file lacks \"format\", \"version\" or \"cookies\"");
      }
      if (p.nextToken() != null) {
        throw error(p, "text after the end of the JSON object");
      }
    } catch (JsonProcessingException e) {
      // Not Jackson's message: it quotes the text at fault, which may be a cookie's value.
      // A broken limit (a string too long) carries no location; the parser knows where it is.
      JsonLocation at = e.getLocation() != null ? e.getLocation() : p.currentLocation();
      int line = at.getLineNr();
      int column = at.getColumnNr();
      throw new CookieFileException(line, "not valid JSON (column " + column + ")");
    }
    return cookies;
  }

  /** Reads one cookie object; empty when it has expired. */
  private static Optional<Cookie> readCookie(JsonParser p, Instant now) throws IOException {
    int line = p.currentTokenLocation().getLineNr();
    Map<String, Object> m = new HashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      switch (t) {
        case VALUE_STRING -> m.put(field, p.getText());
        case VALUE_TRUE -> m.put(field, Boolean.TRUE);
        case VALUE_FALSE -> m.put(field, Boolean.FALSE);
        case VALUE_NULL -> m.put(field, null);
        default -> {
          if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            p.skipChildren();
          }
          m.put(field, t);
        }
      }
    }
    try {
      Optional<Instant> expires =
          Optional.ofNullable(string(m, "expires", true)).map(Instant::parse);
      if (expires.isPresent() && !expires.get().isAfter(now)) {
        return Optional.empty();
      }
      SameSite sameSite;
      try {
        sameSite = SameSite.valueOf(string(m, "sameSite", false).toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CookieFileException(line, "sameSite is not strict, lax, none or unspecified");
      }
      return Optional.of(
          new Cookie(
              string(m, "name", false),
              string(m, "value", false),
              string(m, "domain", false),
              bool(m, "hostOnly"),
              string(m, "path", false),
              expires,
              bool(m, "secure"),
              bool(m, "httpOnly"),
              sameSite,
              Instant.parse(string(m, "created", false)),
              Instant.parse(string(m, "lastAccessed", false))));
    } catch (DateTimeParseException e) {
      throw new CookieFileException(line, "a time is not an ISO-8601 instant");
    } catch (CookieFieldException e) {
      throw new CookieFileException(line, e.getMessage());
    } catch (IllegalArgumentException e) {
      // Cookie's own checks (empty domain, relative path): their messages hold no value.
      throw new CookieFileException(line, e.getMessage());
    }
  }

  private static String string(Map<String, Object> m, String field, boolean nullable)
      throws CookieFieldException {
    if (!m.containsKey(field)) {
      throw new CookieFieldException("the cookie lacks \"" + field + "\"");
    }
    Object v = m.get(field);
    if (v == null && nullable) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw new CookieFieldException("\"" + field + "\" is not a string");
    }
    return s;
  }

  private static boolean bool(Map<String, Object> m, String field) throws CookieFieldException {
    if (!(m.get(field) instanceof Boolean b)) {
      throw new CookieFieldException("\"" + field + "\" is not true or false");
    }
    return b;
  }

  private static void expect(JsonParser p, JsonToken actual, JsonToken wanted, String problem)
      throws CookieFileException {
    if (actual != wanted) {
      throw error(p, problem);
    }
  }

  private static CookieFileException error(JsonParser p, String problem) {
    return new CookieFileException(p.currentTokenLocation().getLineNr(), problem);
  }

  /** A field of one cookie object that is missing or of the wrong type. */
  private static final class CookieFieldException extends Exception {
    private static final long serialVersionUID = 1L;

    CookieFieldException(String message) {
      super(message);
    }
  }
}
