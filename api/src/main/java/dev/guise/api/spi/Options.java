package dev.guise.api.spi;

import java.util.Map;
import java.util.TreeSet;

/** Helpers for providers' {@code withOptions} methods. */
final class Options {
  private Options() {}

  static void rejectAll(String provider, Map<String, String> options) {
    if (!options.isEmpty()) {
      throw new IllegalArgumentException(
          "'" + provider + "' takes no options, got: " + new TreeSet<>(options.keySet()));
    }
  }
}
