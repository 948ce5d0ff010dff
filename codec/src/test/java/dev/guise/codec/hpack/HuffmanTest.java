package dev.guise.codec.hpack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HuffmanTest {

  @Test
  void rebuiltCodesMatchRfc7541AppendixB() {
    // Spot checks from the RFC's table, across all code lengths.
    int[][] symbolCodeLength = {
      {0, 0x1ff8, 13},
      {1, 0x7fffd8, 23},
      {9, 0xffffea, 24},
      {10, 0x3ffffffc, 30},
      {' ', 0x14, 6},
      {'0', 0x0, 5},
      {'a', 0x3, 5},
      {'t', 0x9, 5},
      {':', 0x5c, 7},
      {'X', 0xfc, 8},
      {'!', 0x3f8, 10},
      {'|', 0x7fc, 11},
      {'#', 0xffa, 12},
      {'^', 0x3ffc, 14},
      {'<', 0x7ffc, 15},
      {'\\', 0x7fff0, 19},
      {128, 0xfffe6, 20},
      {153, 0x1fffdc, 21},
      {129, 0x3fffd2, 22},
      {199, 0x1ffffec, 25},
      {192, 0x3ffffe0, 26},
      {203, 0x7ffffde, 27},
      {2, 0xfffffe2, 28},
      {255, 0x3ffffee, 26},
      {256, 0x3fffffff, 30},
    };
    for (int[] row : symbolCodeLength) {
      assertEquals(row[1], Huffman.CODES[row[0]], "code of " + row[0]);
      assertEquals(row[2], Huffman.codeLength(row[0]), "length of " + row[0]);
    }
  }

  @Test
  void everyOctetRoundTrips() throws Exception {
    Random r = new Random(7541);
    for (int round = 0; round < 500; round++) {
      byte[] raw = new byte[r.nextInt(300)];
      r.nextBytes(raw);
      String s = new String(raw, StandardCharsets.ISO_8859_1);
      byte[] encoded = new byte[Huffman.encodedLength(s)];
      assertEquals(encoded.length, Huffman.encode(s, encoded, 0));
      byte[] decoded = new byte[encoded.length * 8 / 5 + 1];
      int n = Huffman.decode(encoded, 0, encoded.length, decoded);
      assertEquals(s, new String(decoded, 0, n, StandardCharsets.ISO_8859_1));
    }
  }
}
