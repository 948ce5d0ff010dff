package dev.guise.fingerprint;

import java.util.List;
import java.util.Map;

/** The smallest request-rules file a test can read: plain HPACK habits and the given kinds. */
final class RulesJson {
  private RulesJson() {}

  /** A rules file's JSON with this {@code others_before} and these {@code kinds}. */
  static Map<String, Object> withKinds(String othersBefore, Map<String, Object> kinds) {
    return Map.of(
        "header_compression",
        Map.of(
            "without_indexing",
            List.of(),
            "never_indexed",
            List.of(),
            "huffman",
            "when-shorter",
            "name_reference",
            "highest-index"),
        "others_before",
        othersBefore,
        "kinds",
        kinds);
  }
}
