package dev.guise.testing;

import java.util.HexFormat;

/** Hex for test data: whitespace in the input is ignored, so dumps can be laid out readably. */
public final class Hex {
  private Hex() {}

  /** The bytes {@code hex} spells, ignoring whitespace. */
  public static byte[] parse(String hex) {
    return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
  }

  /** Lower-case hex of {@code bytes}, no separators. */
  public static String format(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
