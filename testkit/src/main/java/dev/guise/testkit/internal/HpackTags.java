package dev.guise.testkit.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Names the HPACK representation of each field of a header block (RFC 7541 section 6), in the
 * notation of the reference session captures, so a test can compare a client's encoding with a
 * browser's field by field. Reads only the representation bits, indices and string flags; the
 * decoder gives the values. Dynamic table size updates carry no field and are skipped.
 */
final class HpackTags {
  private static final int STATIC_LENGTH = 61;

  private final byte[] block;
  private int pos;

  private HpackTags(byte[] block) {
    this.block = block;
  }

  /**
   * The tags of {@code block}'s fields, in order.
   *
   * @throws IllegalArgumentException if the block is truncated (the decoder has accepted it, so
   *     this does not happen for a block the session logs)
   */
  static List<String> of(byte[] block) {
    return new HpackTags(block).tags();
  }

  private List<String> tags() {
    List<String> out = new ArrayList<>();
    while (pos < block.length) {
      int b = block[pos] & 0xff;
      if ((b & 0x80) != 0) {
        out.add("indexed[" + table(readInt(7)) + "]");
      } else if ((b & 0xc0) == 0x40) {
        out.add(literal("inc", 6));
      } else if ((b & 0xe0) == 0x20) {
        readInt(5);
      } else if ((b & 0xf0) == 0x10) {
        out.add(literal("never", 4));
      } else {
        out.add(literal("noidx", 4));
      }
    }
    return out;
  }

  private String literal(String kind, int prefixBits) {
    int nameIndex = readInt(prefixBits);
    String name = nameIndex == 0 ? "lit" + string() : table(nameIndex);
    return kind + "(name=" + name + ",val=" + string() + ")";
  }

  private static String table(int index) {
    return (index <= STATIC_LENGTH ? "s" : "d") + index;
  }

  /** Skips a string literal; returns {@code H} when Huffman-coded, else {@code raw}. */
  private String string() {
    if (pos >= block.length) {
      throw new IllegalArgumentException("truncated header block");
    }
    boolean huffman = (block[pos] & 0x80) != 0;
    int length = readInt(7);
    pos += length;
    return huffman ? "H" : "raw";
  }

  private int readInt(int prefixBits) {
    int max = (1 << prefixBits) - 1;
    int value = block[pos++] & max;
    if (value < max) {
      return value;
    }
    int shift = 0;
    int b;
    do {
      if (pos >= block.length) {
        throw new IllegalArgumentException("truncated integer");
      }
      b = block[pos++] & 0xff;
      value += (b & 0x7f) << shift;
      shift += 7;
    } while ((b & 0x80) != 0);
    return value;
  }
}
