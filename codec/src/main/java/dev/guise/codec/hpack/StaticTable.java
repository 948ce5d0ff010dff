package dev.guise.codec.hpack;

import dev.guise.api.Header;
import java.util.HashMap;
import java.util.Map;

/** The static table of RFC 7541 Appendix A (indices 1..61). */
final class StaticTable {
  static final Header[] ENTRIES = {
    null,
    new Header(":authority", ""),
    new Header(":method", "GET"),
    new Header(":method", "POST"),
    new Header(":path", "/"),
    new Header(":path", "/index.html"),
    new Header(":scheme", "http"),
    new Header(":scheme", "https"),
    new Header(":status", "200"),
    new Header(":status", "204"),
    new Header(":status", "206"),
    new Header(":status", "304"),
    new Header(":status", "400"),
    new Header(":status", "404"),
    new Header(":status", "500"),
    new Header("accept-charset", ""),
    new Header("accept-encoding", "gzip, deflate"),
    new Header("accept-language", ""),
    new Header("accept-ranges", ""),
    new Header("accept", ""),
    new Header("access-control-allow-origin", ""),
    new Header("age", ""),
    new Header("allow", ""),
    new Header("authorization", ""),
    new Header("cache-control", ""),
    new Header("content-disposition", ""),
    new Header("content-encoding", ""),
    new Header("content-language", ""),
    new Header("content-length", ""),
    new Header("content-location", ""),
    new Header("content-range", ""),
    new Header("content-type", ""),
    new Header("cookie", ""),
    new Header("date", ""),
    new Header("etag", ""),
    new Header("expect", ""),
    new Header("expires", ""),
    new Header("from", ""),
    new Header("host", ""),
    new Header("if-match", ""),
    new Header("if-modified-since", ""),
    new Header("if-none-match", ""),
    new Header("if-range", ""),
    new Header("if-unmodified-since", ""),
    new Header("last-modified", ""),
    new Header("link", ""),
    new Header("location", ""),
    new Header("max-forwards", ""),
    new Header("proxy-authenticate", ""),
    new Header("proxy-authorization", ""),
    new Header("range", ""),
    new Header("referer", ""),
    new Header("refresh", ""),
    new Header("retry-after", ""),
    new Header("server", ""),
    new Header("set-cookie", ""),
    new Header("strict-transport-security", ""),
    new Header("transfer-encoding", ""),
    new Header("user-agent", ""),
    new Header("vary", ""),
    new Header("via", ""),
    new Header("www-authenticate", ""),
  };

  static final int LENGTH = ENTRIES.length - 1;

  /** First index of each name; entries of one name are consecutive. */
  private static final Map<String, Integer> FIRST_INDEX_BY_NAME = new HashMap<>(128);

  static {
    for (int i = LENGTH; i >= 1; i--) {
      FIRST_INDEX_BY_NAME.put(ENTRIES[i].name(), i);
    }
  }

  private StaticTable() {}

  /** The first index carrying {@code name}, or 0. */
  static int nameIndex(String name) {
    Integer i = FIRST_INDEX_BY_NAME.get(name);
    return i == null ? 0 : i;
  }

  /** The last index carrying {@code name}, or 0. */
  static int lastNameIndex(String name) {
    int i = nameIndex(name);
    if (i == 0) {
      return 0;
    }
    while (i < LENGTH && ENTRIES[i + 1].name().equals(name)) {
      i++;
    }
    return i;
  }

  /** The index of the entry {@code name: value} given the name's first index, or 0. */
  static int fullIndex(int firstIndex, String name, String value) {
    for (int i = firstIndex; i <= LENGTH && ENTRIES[i].name().equals(name); i++) {
      if (ENTRIES[i].value().equals(value)) {
        return i;
      }
    }
    return 0;
  }
}
