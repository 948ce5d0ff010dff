package dev.guise.fingerprint.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A minimal JSON reader for the bundled capture descriptions: objects (ordered maps), arrays, strings, integers (Long), doubles, booleans, null. Input is trusted module resources or test files. */
public final class Json {
  private final String s;
  private int pos;

  private Json(String s) {
    this.s = s;
  }

  public static Object parse(String text) {
    Json j = new Json(text);
    Object v = j.value();
    j.ws();
    if (j.pos != text.length()) {
      throw new IllegalArgumentException("trailing JSON at " + j.pos);
    }
    return v;
  }

  private void ws() {
    while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
      pos++;
    }
  }

  private Object value() {
    ws();
    char c = s.charAt(pos);
    switch (c) {
      case '{' -> {
        pos++;
        Map<String, Object> m = new LinkedHashMap<>();
        ws();
        if (s.charAt(pos) == '}') {
          pos++;
          return m;
        }
        while (true) {
          ws();
          String k = string();
          ws();
          expect(':');
          m.put(k, value());
          ws();
          if (s.charAt(pos) == ',') {
            pos++;
          } else {
            expect('}');
            return m;
          }
        }
      }
      case '[' -> {
        pos++;
        List<Object> l = new ArrayList<>();
        ws();
        if (s.charAt(pos) == ']') {
          pos++;
          return l;
        }
        while (true) {
          l.add(value());
          ws();
          if (s.charAt(pos) == ',') {
            pos++;
          } else {
            expect(']');
            return l;
          }
        }
      }
      case '"' -> {
        return string();
      }
      default -> {
        if (s.startsWith("true", pos)) {
          pos += 4;
          return Boolean.TRUE;
        }
        if (s.startsWith("false", pos)) {
          pos += 5;
          return Boolean.FALSE;
        }
        if (s.startsWith("null", pos)) {
          pos += 4;
          return null;
        }
        int start = pos;
        while (pos < s.length() && "+-0123456789.eE".indexOf(s.charAt(pos)) >= 0) {
          pos++;
        }
        String num = s.substring(start, pos);
        if (num.isEmpty()) {
          throw new IllegalArgumentException("bad JSON at " + start);
        }
        if (num.contains(".") || num.contains("e") || num.contains("E")) {
          return Double.parseDouble(num);
        }
        return Long.parseLong(num);
      }
    }
  }

  private void expect(char c) {
    if (s.charAt(pos) != c) {
      throw new IllegalArgumentException("expected " + c + " at " + pos);
    }
    pos++;
  }

  private String string() {
    expect('"');
    StringBuilder sb = new StringBuilder();
    while (true) {
      char c = s.charAt(pos++);
      if (c == '"') {
        return sb.toString();
      }
      if (c == '\\') {
        char e = s.charAt(pos++);
        switch (e) {
          case 'n' -> sb.append('\n');
          case 't' -> sb.append('\t');
          case 'r' -> sb.append('\r');
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'u' -> {
            sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
            pos += 4;
          }
          default -> sb.append(e);
        }
      } else {
        sb.append(c);
      }
    }
  }
}
