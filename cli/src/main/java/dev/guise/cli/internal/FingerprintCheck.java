package dev.guise.cli.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The fingerprint a server saw next to a profile's reference, field by field: JA4's three parts and
 * the Akamai fingerprint's four.
 *
 * @param profile the profile the client presented
 * @param ja4 the JA4 the server computed, or null when it saw none
 * @param ja4Expected the profile's reference JA4, or null when the profile has no browser reference
 * @param akamai the Akamai HTTP/2 fingerprint the server computed, or null (HTTP/1.1, or none seen)
 * @param akamaiExpected the reference one, or null
 */
record FingerprintCheck(
    String profile, String ja4, String ja4Expected, String akamai, String akamaiExpected) {

  private static final List<String[]> JA4_PARTS =
      List.of(
          new String[] {"ja4_a", "TLS version, SNI, counts, ALPN"},
          new String[] {"ja4_b", "cipher suites"},
          new String[] {"ja4_c", "extensions, signature algorithms"});
  private static final List<String[]> AKAMAI_PARTS =
      List.of(
          new String[] {"akamai_settings", "HTTP/2 SETTINGS"},
          new String[] {"akamai_window_update", "connection WINDOW_UPDATE"},
          new String[] {"akamai_priority", "PRIORITY frames"},
          new String[] {"akamai_pseudo_headers", "pseudo-header order"});

  /**
   * One compared field.
   *
   * @param key its JSON name
   * @param label what it covers, for people
   */
  record Field(String key, String label, String seen, String expected) {
    boolean match() {
      return seen != null && Objects.equals(seen, expected);
    }
  }

  /** JA4 as a whole and each part, then Akamai as a whole and each part. */
  List<Field> fields() {
    List<Field> out = new ArrayList<>();
    out.add(new Field("ja4", "JA4", ja4, ja4Expected));
    addParts(out, JA4_PARTS, ja4, ja4Expected, "_");
    out.add(new Field("akamai", "Akamai HTTP/2", akamai, akamaiExpected));
    addParts(out, AKAMAI_PARTS, akamai, akamaiExpected, "\\|");
    return out;
  }

  private static void addParts(
      List<Field> out, List<String[]> names, String seen, String expected, String separator) {
    String[] s = seen == null ? new String[0] : seen.split(separator, -1);
    String[] e = expected == null ? new String[0] : expected.split(separator, -1);
    for (int i = 0; i < names.size(); i++) {
      out.add(
          new Field(
              names.get(i)[0],
              names.get(i)[1],
              i < s.length ? s[i] : null,
              i < e.length ? e[i] : null));
    }
  }

  /** Whether the server saw exactly the reference, TLS and HTTP/2. */
  boolean match() {
    return ja4 != null
        && akamai != null
        && ja4.equals(ja4Expected)
        && akamai.equals(akamaiExpected);
  }

  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("profile", profile);
    m.put("ja4", ja4);
    m.put("ja4_expected", ja4Expected);
    m.put("akamai", akamai);
    m.put("akamai_expected", akamaiExpected);
    m.put("match", match());
    List<Object> fields = new ArrayList<>();
    for (Field f : fields()) {
      Map<String, Object> fm = new LinkedHashMap<>();
      fm.put("field", f.key());
      fm.put("seen", f.seen());
      fm.put("expected", f.expected());
      fm.put("match", f.match());
      fields.add(fm);
    }
    m.put("fields", fields);
    return m;
  }
}
