package dev.guise.testkit.internal;

import java.util.ArrayDeque;
import java.util.Deque;

/** A minimal streaming JSON writer: commas and escaping are its only jobs. Not thread-safe. */
final class Json {
  private final StringBuilder out = new StringBuilder(1024);
  /** Per open container: whether nothing has been written in it yet. */
  private final Deque<Boolean> first = new ArrayDeque<>();
  private boolean afterName;

  Json beginObject() {
    separate();
    out.append('{');
    first.push(true);
    return this;
  }

  Json endObject() {
    first.pop();
    out.append('}');
    return this;
  }

  Json beginArray() {
    separate();
    out.append('[');
    first.push(true);
    return this;
  }

  Json endArray() {
    first.pop();
    out.append(']');
    return this;
  }

  Json name(String name) {
    separate();
    string(name);
    out.append(':');
    afterName = true;
    return this;
  }

  Json value(String value) {
    separate();
    if (value == null) {
      out.append("null");
    } else {
      string(value);
    }
    return this;
  }

  Json value(long value) {
    separate();
    out.append(value);
    return this;
  }

  Json value(boolean value) {
    separate();
    out.append(value);
    return this;
  }

  Json nullValue() {
    separate();
    out.append("null");
    return this;
  }

  Json field(String name, String value) {
    return name(name).value(value);
  }

  Json field(String name, long value) {
    return name(name).value(value);
  }

  Json field(String name, boolean value) {
    return name(name).value(value);
  }

  private void separate() {
    if (afterName) {
      afterName = false;
      return;
    }
    if (!first.isEmpty()) {
      if (first.peek()) {
        first.pop();
        first.push(false);
      } else {
        out.append(',');
      }
    }
  }

  private void string(String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          // Control characters, and the two line separators JavaScript parsers choke on.
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
