package dev.guise.codec.hpack;

/**
 * The static Huffman code of RFC 7541 Appendix B. The code is canonical (codes of one length are
 * consecutive and ordered by symbol), so the table below keeps only each symbol's code length and
 * the codes are rebuilt from it; {@code HuffmanTest} checks the rebuilt codes against values from
 * the RFC.
 *
 * <p>Decoding walks a tree whose nodes consume 8 bits at a time: one array load per input byte
 * instead of one branch per bit.
 */
final class Huffman {
  static final int EOS = 256;

  /** Code length in bits of symbols 0..255 and EOS (256), from RFC 7541 Appendix B. */
  private static final byte[] LENGTHS = {
    13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28,
    28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,
    6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6,
    5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
    13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
    7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
    15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5,
    6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,
    20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23,
    24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,
    22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23,
    21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
    26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25,
    19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,
    20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23,
    26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,
    30
  };

  static final int[] CODES = new int[257];

  /** An 8-bit decoding node: children for internal entries, symbol/bits for leaves. */
  private static final class Node {
    final Node[] children;
    final int symbol;

    /** Bits of the final byte that belong to the symbol (1..8). */
    final int bits;

    Node() {
      children = new Node[256];
      symbol = -1;
      bits = 0;
    }

    Node(int symbol, int bits) {
      children = null;
      this.symbol = symbol;
      this.bits = bits;
    }
  }

  private static final Node ROOT = new Node();

  static {
    int code = 0;
    int previousLength = 0;
    for (int length = 1; length <= 30; length++) {
      for (int symbol = 0; symbol <= 256; symbol++) {
        if (LENGTHS[symbol] == length) {
          code <<= length - previousLength;
          previousLength = length;
          CODES[symbol] = code++;
        }
      }
    }
    for (int symbol = 0; symbol <= 256; symbol++) {
      insert(symbol, CODES[symbol], LENGTHS[symbol]);
    }
  }

  private static void insert(int symbol, int code, int length) {
    Node node = ROOT;
    while (length > 8) {
      length -= 8;
      int i = (code >>> length) & 0xff;
      Node child = node.children[i];
      if (child == null) {
        child = new Node();
        node.children[i] = child;
      }
      node = child;
    }
    int shift = 8 - length;
    int start = (code << shift) & 0xff;
    Node leaf = new Node(symbol, length);
    for (int i = start; i < start + (1 << shift); i++) {
      node.children[i] = leaf;
    }
  }

  private Huffman() {}

  static int codeLength(int symbol) {
    return LENGTHS[symbol];
  }

  /**
   * Length in bytes of the Huffman encoding of {@code s}, or -1 when a char is above 0xff (such a
   * string cannot be sent as HPACK octets).
   */
  static int encodedLength(String s) {
    long bits = 0;
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c > 0xff) {
        return -1;
      }
      bits += LENGTHS[c];
    }
    return (int) ((bits + 7) >>> 3);
  }

  /**
   * Encodes the chars of {@code s} (all at most 0xff) into {@code out} at {@code pos}; returns the
   * new position.
   */
  static int encode(String s, byte[] out, int pos) {
    long acc = 0;
    int bits = 0;
    for (int i = 0, n = s.length(); i < n; i++) {
      int c = s.charAt(i);
      int length = LENGTHS[c];
      acc = (acc << length) | CODES[c];
      bits += length;
      while (bits >= 8) {
        bits -= 8;
        out[pos++] = (byte) (acc >>> bits);
      }
    }
    if (bits > 0) {
      // Pad with the most significant bits of EOS (all ones), RFC 7541 section 5.2.
      out[pos++] = (byte) ((acc << (8 - bits)) | (0xff >>> bits));
    }
    return pos;
  }

  /**
   * Decodes {@code length} bytes at {@code offset} into {@code out} (which must hold {@code length
   * * 8 / 5} bytes: no code is shorter than 5 bits); returns the decoded length.
   */
  static int decode(byte[] in, int offset, int length, byte[] out) throws HpackException {
    Node node = ROOT;
    int acc = 0;
    int bits = 0;
    int n = 0;
    for (int p = offset, end = offset + length; p < end; p++) {
      acc = (acc << 8) | (in[p] & 0xff);
      bits += 8;
      while (bits >= 8) {
        Node next = node.children[(acc >>> (bits - 8)) & 0xff];
        if (next.children == null) {
          if (next.symbol == EOS) {
            throw HpackException.compression("EOS symbol inside a Huffman-coded string");
          }
          out[n++] = (byte) next.symbol;
          bits -= next.bits;
          node = ROOT;
        } else {
          node = next;
          bits -= 8;
        }
      }
    }
    // Fewer than 8 bits left: they may finish the current code or hold further short codes.
    while (bits > 0) {
      Node next = node.children[(acc << (8 - bits)) & 0xff];
      if (next.children != null || next.bits > bits) {
        break;
      }
      if (next.symbol == EOS) {
        throw HpackException.compression("EOS symbol inside a Huffman-coded string");
      }
      out[n++] = (byte) next.symbol;
      bits -= next.bits;
      node = ROOT;
    }
    if (node != ROOT) {
      // A whole byte (or more) of an unfinished code: padding longer than 7 bits.
      throw HpackException.compression(
          "Huffman string ends inside a code longer than the padding allows");
    }
    int padMask = (1 << bits) - 1;
    if ((acc & padMask) != padMask) {
      throw HpackException.compression("Huffman padding is not a prefix of EOS");
    }
    return n;
  }
}
