package dev.guise.codec.hpack;

import static dev.guise.testing.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.Header;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Seeded random header lists through encoder and decoder on one simulated connection. */
class HpackRoundTripTest {

  private static String randomText(Random r, int max, boolean name) {
    int length = (name ? 1 : 0) + r.nextInt(max);
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      char c;
      if (name) {
        c = "abcdefghijklmnopqrstuvwxyz0123456789-_".charAt(r.nextInt(38));
      } else {
        int kind = r.nextInt(10);
        // Mostly printable ASCII, some octets above 0x7f (obs-text), never CR/LF/NUL.
        c = kind < 8 ? (char) (0x20 + r.nextInt(0x5f)) : (char) (0x80 + r.nextInt(0x80));
      }
      sb.append(c);
    }
    return sb.toString();
  }

  @Test
  void randomListsRoundTripWithEveryPolicyAndTableSize() throws Exception {
    Random r = new Random(0x6715e);
    List<Header> vocabulary = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      vocabulary.add(new Header(randomText(r, 12, true), randomText(r, 60, false)));
    }
    vocabulary.add(new Header(":method", "GET"));
    vocabulary.add(new Header(":path", "/"));
    vocabulary.add(new Header("accept-encoding", "gzip, deflate"));
    vocabulary.add(new Header("cookie", "a=b"));
    for (int tableSize : new int[] {0, 64, 256, 4096, 65536}) {
      for (HpackEncoder.Indexing indexing : HpackEncoder.Indexing.values()) {
        HpackEncoder encoder =
            new HpackEncoder(
                tableSize,
                (n, v) -> r.nextInt(3) == 0 ? indexing : HpackEncoder.Indexing.INCREMENTAL,
                HpackEncoder.HuffmanPolicy.values()[
                    r.nextInt(HpackEncoder.HuffmanPolicy.values().length)]);
        HpackDecoder decoder = new HpackDecoder(65536, 1 << 20);
        encoder.setPeerHeaderTableSize(65536);
        for (int block = 0; block < 50; block++) {
          if (block == 25) {
            // The peer shrinks then regrows its table between two blocks.
            encoder.setPeerHeaderTableSize(32);
            encoder.setPeerHeaderTableSize(65536);
          }
          List<Header> headers = new ArrayList<>();
          int n = r.nextInt(20);
          for (int i = 0; i < n; i++) {
            headers.add(
                r.nextInt(4) == 0
                    ? new Header(randomText(r, 10, true), randomText(r, 200, false))
                    : vocabulary.get(r.nextInt(vocabulary.size())));
          }
          byte[] wire = encoder.encode(headers);
          assertEquals(headers, decoder.decode(wire), "table " + tableSize + " block " + block);
          assertEquals(encoder.dynamicTableSize(), decoder.dynamicTableSize());
          assertTrue(decoder.dynamicTableSize() <= Math.min(tableSize, 65536));
        }
      }
    }
  }

  @Test
  void upperCaseNamesAreSentLowerCase() throws Exception {
    HpackEncoder encoder = new HpackEncoder();
    byte[] wire = encoder.encode(List.of(new Header("X-Custom", "1"), new Header("Accept", "*/*")));
    assertEquals(
        List.of(new Header("x-custom", "1"), new Header("accept", "*/*")),
        new HpackDecoder(4096, 1 << 20).decode(wire));
  }

  @Test
  void peerSettingChangesAreAnnounced() throws Exception {
    HpackEncoder encoder = new HpackEncoder(65536, HpackEncoder.IndexingPolicy.incremental());
    HpackDecoder decoder = new HpackDecoder(65536, 1 << 20);
    // No change from the default: no update.
    assertEquals("82", hex(encoder.encode(List.of(new Header(":method", "GET")))));
    encoder.setPeerHeaderTableSize(65536);
    byte[] wire = encoder.encode(List.of(new Header(":method", "GET")));
    assertEquals("3fe1ff03" + "82", hex(wire));
    decoder.decode(wire);
    assertEquals(65536, decoder.dynamicTableMaxSize());
    // Shrink to 0 then back: both announced, smallest first.
    encoder.setPeerHeaderTableSize(0);
    encoder.setPeerHeaderTableSize(100);
    wire = encoder.encode(List.of());
    assertEquals("20" + "3f45", hex(wire));
    decoder.decode(wire);
    assertEquals(100, decoder.dynamicTableMaxSize());
  }
}
