package dev.guise.testkit;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Reading the server's JSON in tests: jackson-jr parses (objects to ordered maps, arrays to lists,
 * integers to Integer, Long or BigInteger by size, fractions to Double), this walks the tree.
 */
final class JsonTree {
  private JsonTree() {}

  static Object parse(String text) {
    try {
      return JSON.std.anyFrom(text);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + text, e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  static List<Object> array(Object o) {
    return (List<Object>) o;
  }

  /** The value at a dotted path of object keys, e.g. {@code "tls.ja4"}; a missing key fails. */
  static Object at(Object root, String path) {
    Object cur = root;
    for (String key : path.split("\\.")) {
      Map<String, Object> m = object(cur);
      if (!m.containsKey(key)) {
        throw new IllegalArgumentException("no key " + key + " in " + m.keySet());
      }
      cur = m.get(key);
    }
    return cur;
  }
}
