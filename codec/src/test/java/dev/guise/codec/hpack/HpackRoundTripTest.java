package dev.guise.codec.hpack;

import static dev.guise.testing.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.Header;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

  /**
   * The name memo is only a shortcut: with it the encoder writes the same bytes as without, block
   * after block, through evictions, a table emptied by an oversized entry, size changes, mixed-case
   * names, names sharing a memo slot (80 names in 32 slots) and names with several values.
   */
  @Test
  void theNameMemoChangesNoByte() throws Exception {
    Random r = new Random(0x4e4d);
    List<String> names = new ArrayList<>(List.of(":method", ":path", "cookie", "accept", "Accept"));
    for (int i = 0; i < 80; i++) {
      names.add(randomText(r, 14, true));
    }
    List<String> values = new ArrayList<>(List.of("GET", "/", "", "a=b"));
    for (int i = 0; i < 12; i++) {
      values.add(randomText(r, 40, false));
    }
    for (HpackEncoder.NameReference reference : HpackEncoder.NameReference.values()) {
      for (int tableSize : new int[] {0, 100, 600, 4096}) {
        HpackEncoder.IndexingPolicy policy =
            (n, v) ->
                switch (Math.floorMod((n + v).hashCode(), 7)) {
                  case 0 -> HpackEncoder.Indexing.WITHOUT_INDEXING;
                  case 1 -> HpackEncoder.Indexing.NEVER_INDEXED;
                  default -> HpackEncoder.Indexing.INCREMENTAL;
                };
        HpackEncoder memoized =
            new HpackEncoder(
                tableSize, policy, HpackEncoder.HuffmanPolicy.WHEN_SHORTER, reference, true);
        HpackEncoder plain =
            new HpackEncoder(
                tableSize, policy, HpackEncoder.HuffmanPolicy.WHEN_SHORTER, reference, false);
        HpackDecoder decoder = new HpackDecoder(4096, 1 << 20);
        for (int block = 0; block < 400; block++) {
          if (block % 97 == 50) {
            int peer = r.nextInt(2) == 0 ? 64 : 4096;
            memoized.setPeerHeaderTableSize(peer);
            plain.setPeerHeaderTableSize(peer);
          }
          List<Header> headers = new ArrayList<>();
          // A few names over and over (a hot connection), now and then any of them.
          int n = 1 + r.nextInt(24);
          for (int i = 0; i < n; i++) {
            String name = names.get(r.nextInt(4) == 0 ? r.nextInt(names.size()) : r.nextInt(12));
            String value =
                block == 123 && i == 0
                    ? "x".repeat(5000)
                    : values.get(r.nextInt(3) == 0 ? r.nextInt(values.size()) : r.nextInt(3));
            headers.add(new Header(name, value));
          }
          byte[] wire = memoized.encode(headers);
          String where = reference + ", table " + tableSize + ", block " + block;
          assertEquals(hex(plain.encode(headers)), hex(wire), where);
          List<Header> lowered = new ArrayList<>();
          for (Header h : headers) {
            lowered.add(new Header(h.name().toLowerCase(Locale.ROOT), h.value()));
          }
          assertEquals(lowered, decoder.decode(wire), where);
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
