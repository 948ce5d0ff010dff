package dev.guise.testing;

import java.util.HexFormat;

/**
 * Hex for test data, meant to be imported statically: {@code hex("16 03 01")} gives bytes, {@code
 * hex(bytes)} gives text. Whitespace in the input is ignored, so dumps can be laid out readably.
 */
public final class Hex {
  private Hex() {}

  /** The bytes {@code hex} spells, ignoring whitespace. */
  public static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
  }

  /** Lower-case hex of {@code bytes}, no separators. */
  public static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
