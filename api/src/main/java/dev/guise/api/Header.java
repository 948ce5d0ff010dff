package dev.guise.api;

import java.util.Objects;

/**
 * One HTTP header field as it goes on the wire. Order matters to fingerprinting, so Guise keeps
 * headers as lists of these, never as maps.
 *
 * @param name the field name; compared case-insensitively by {@link #is(String)}
 * @param value the field value, without leading or trailing white space
 */
public record Header(String name, String value) {
  public Header {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("header name must not be empty");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c <= ' ' || c >= 0x7f || c == ':' && i > 0) {
        throw new IllegalArgumentException("invalid character in header name: " + name);
      }
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n' || c == 0) {
        throw new IllegalArgumentException("invalid character in value of header " + name);
      }
    }
  }

  /** Whether this header is called {@code otherName}, ignoring ASCII case. */
  public boolean is(String otherName) {
    return name.equalsIgnoreCase(otherName);
  }

  @Override
  public String toString() {
    return name + ": " + value;
  }
}
