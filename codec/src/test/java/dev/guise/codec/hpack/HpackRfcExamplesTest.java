package dev.guise.codec.hpack;

import static dev.guise.testing.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.guise.api.Header;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every example of RFC 7541 Appendix C, decoded (with the dynamic table checked after each block)
 * and, where the RFC's choices match this encoder's (all of them), encoded byte for byte.
 */
class HpackRfcExamplesTest {

  private static Header h(String name, String value) {
    return new Header(name, value);
  }

  private static void assertTable(HpackDecoder decoder, long size, Header... newestFirst) {
    assertEquals(size, decoder.dynamicTableSize(), "dynamic table size");
    assertEquals(newestFirst.length, decoder.dynamicTableLength(), "dynamic table entries");
    for (int i = 0; i < newestFirst.length; i++) {
      assertEquals(newestFirst[i], decoder.dynamicTableEntry(i), "entry " + (62 + i));
    }
  }

  // C.2: single representations.

  @Test
  void c21LiteralWithIndexing() throws Exception {
    byte[] wire = hex("400a637573746f6d2d6b65790d637573746f6d2d686561646572");
    HpackDecoder decoder = new HpackDecoder(4096, 1 << 20);
    assertEquals(List.of(h("custom-key", "custom-header")), decoder.decode(wire));
    assertTable(decoder, 55, h("custom-key", "custom-header"));

    HpackEncoder encoder =
        new HpackEncoder(
            4096, HpackEncoder.IndexingPolicy.incremental(), HpackEncoder.HuffmanPolicy.NEVER);
    assertEquals(hex(wire), hex(encoder.encode(List.of(h("custom-key", "custom-header")))));
    assertEquals(55, encoder.dynamicTableSize());
  }

  @Test
  void c22LiteralWithoutIndexing() throws Exception {
    byte[] wire = hex("040c2f73616d706c652f70617468");
    HpackDecoder decoder = new HpackDecoder(4096, 1 << 20);
    assertEquals(List.of(h(":path", "/sample/path")), decoder.decode(wire));
    assertTable(decoder, 0);

    HpackEncoder encoder =
        new HpackEncoder(
            4096,
            (n, v) -> HpackEncoder.Indexing.WITHOUT_INDEXING,
            HpackEncoder.HuffmanPolicy.NEVER);
    assertEquals(hex(wire), hex(encoder.encode(List.of(h(":path", "/sample/path")))));
    assertEquals(0, encoder.dynamicTableLength());
  }

  @Test
  void c23LiteralNeverIndexed() throws Exception {
    byte[] wire = hex("100870617373776f726406736563726574");
    HpackDecoder decoder = new HpackDecoder(4096, 1 << 20);
    assertEquals(List.of(h("password", "secret")), decoder.decode(wire));
    assertTable(decoder, 0);

    HpackEncoder encoder =
        new HpackEncoder(
            4096,
            HpackEncoder.IndexingPolicy.neverIndex(Set.of("password")),
            HpackEncoder.HuffmanPolicy.NEVER);
    assertEquals(hex(wire), hex(encoder.encode(List.of(h("password", "secret")))));
    assertEquals(0, encoder.dynamicTableLength());
  }

  @Test
  void c24IndexedField() throws Exception {
    HpackDecoder decoder = new HpackDecoder(4096, 1 << 20);
    assertEquals(List.of(h(":method", "GET")), decoder.decode(hex("82")));
    assertTable(decoder, 0);
    assertEquals("82", hex(new HpackEncoder().encode(List.of(h(":method", "GET")))));
  }

  // C.3 / C.4: requests, one connection.

  private static final List<Header> REQUEST_1 =
      List.of(
          h(":method", "GET"),
          h(":scheme", "http"),
          h(":path", "/"),
          h(":authority", "www.example.com"));
  private static final List<Header> REQUEST_2 =
      List.of(
          h(":method", "GET"),
          h(":scheme", "http"),
          h(":path", "/"),
          h(":authority", "www.example.com"),
          h("cache-control", "no-cache"));
  private static final List<Header> REQUEST_3 =
      List.of(
          h(":method", "GET"),
          h(":scheme", "https"),
          h(":path", "/index.html"),
          h(":authority", "www.example.com"),
          h("custom-key", "custom-value"));

  private static void checkRequests(boolean huffman, String wire1, String wire2, String wire3)
      throws Exception {
    HpackDecoder decoder = new HpackDecoder(4096, 1 << 20);
    HpackEncoder encoder =
        new HpackEncoder(
            4096,
            HpackEncoder.IndexingPolicy.incremental(),
            huffman ? HpackEncoder.HuffmanPolicy.ALWAYS : HpackEncoder.HuffmanPolicy.NEVER);

    assertEquals(REQUEST_1, decoder.decode(hex(wire1)));
    assertTable(decoder, 57, h(":authority", "www.example.com"));
    assertEquals(wire1, hex(encoder.encode(REQUEST_1)));

    assertEquals(REQUEST_2, decoder.decode(hex(wire2)));
    assertTable(decoder, 110, h("cache-control", "no-cache"), h(":authority", "www.example.com"));
    assertEquals(wire2, hex(encoder.encode(REQUEST_2)));

    assertEquals(REQUEST_3, decoder.decode(hex(wire3)));
    assertTable(
        decoder,
        164,
        h("custom-key", "custom-value"),
        h("cache-control", "no-cache"),
        h(":authority", "www.example.com"));
    assertEquals(wire3, hex(encoder.encode(REQUEST_3)));
    assertEquals(164, encoder.dynamicTableSize());
  }

  @Test
  void c3RequestsWithoutHuffman() throws Exception {
    checkRequests(
        false,
        "828684410f7777772e6578616d706c652e636f6d",
        "828684be58086e6f2d6361636865",
        "828785bf400a637573746f6d2d6b65790c637573746f6d2d76616c7565");
  }

  @Test
  void c4RequestsWithHuffman() throws Exception {
    checkRequests(
        true,
        "828684418cf1e3c2e5f23a6ba0ab90f4ff",
        "828684be5886a8eb10649cbf",
        "828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf");
  }

  // C.5 / C.6: responses, one connection, table size 256 (evictions).

  private static final List<Header> RESPONSE_1 =
      List.of(
          h(":status", "302"),
          h("cache-control", "private"),
          h("date", "Mon, 21 Oct 2013 20:13:21 GMT"),
          h("location", "https://www.example.com"));
  private static final List<Header> RESPONSE_2 =
      List.of(
          h(":status", "307"),
          h("cache-control", "private"),
          h("date", "Mon, 21 Oct 2013 20:13:21 GMT"),
          h("location", "https://www.example.com"));
  private static final List<Header> RESPONSE_3 =
      List.of(
          h(":status", "200"),
          h("cache-control", "private"),
          h("date", "Mon, 21 Oct 2013 20:13:22 GMT"),
          h("location", "https://www.example.com"),
          h("content-encoding", "gzip"),
          h("set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"));

  private static void checkResponses(boolean huffman, String wire1, String wire2, String wire3)
      throws Exception {
    // The RFC's examples assume both tables already at 256; ours start at the protocol's 4096, so
    // the peer announces 256 in its first block (3fe101) and the examples follow unchanged.
    HpackDecoder decoder = new HpackDecoder(256, 1 << 20);
    HpackEncoder encoder =
        new HpackEncoder(
            256,
            HpackEncoder.IndexingPolicy.incremental(),
            huffman ? HpackEncoder.HuffmanPolicy.ALWAYS : HpackEncoder.HuffmanPolicy.NEVER);

    assertEquals(RESPONSE_1, decoder.decode(hex("3fe101" + wire1)));
    assertTable(
        decoder,
        222,
        h("location", "https://www.example.com"),
        h("date", "Mon, 21 Oct 2013 20:13:21 GMT"),
        h("cache-control", "private"),
        h(":status", "302"));
    assertEquals("3fe101" + wire1, hex(encoder.encode(RESPONSE_1)));

    assertEquals(RESPONSE_2, decoder.decode(hex(wire2)));
    assertTable(
        decoder,
        222,
        h(":status", "307"),
        h("location", "https://www.example.com"),
        h("date", "Mon, 21 Oct 2013 20:13:21 GMT"),
        h("cache-control", "private"));
    assertEquals(wire2, hex(encoder.encode(RESPONSE_2)));

    assertEquals(RESPONSE_3, decoder.decode(hex(wire3)));
    assertTable(
        decoder,
        215,
        h("set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"),
        h("content-encoding", "gzip"),
        h("date", "Mon, 21 Oct 2013 20:13:22 GMT"));
    assertEquals(wire3, hex(encoder.encode(RESPONSE_3)));
    assertEquals(215, encoder.dynamicTableSize());
  }

  @Test
  void c5ResponsesWithoutHuffman() throws Exception {
    checkResponses(
        false,
        "4803333032580770726976617465611d4d6f6e2c203231204f637420323031332032303a31333a32"
            + "3120474d546e1768747470733a2f2f7777772e6578616d706c652e636f6d",
        "4803333037c1c0bf",
        "88c1611d4d6f6e2c203231204f637420323031332032303a31333a323220474d54c05a04677a6970"
            + "7738666f6f3d4153444a4b48514b425a584f5157454f50495541585157454f49553b206d61782d61"
            + "67653d333630303b2076657273696f6e3d31");
  }

  @Test
  void c6ResponsesWithHuffman() throws Exception {
    checkResponses(
        true,
        "488264025885aec3771a4b6196d07abe941054d444a8200595040b8166e082a62d1bff6e919d29ad"
            + "171863c78f0b97c8e9ae82ae43d3",
        "4883640effc1c0bf",
        "88c16196d07abe941054d444a8200595040b8166e084a62d1bffc05a839bd9ab77ad94e7821dd7f2"
            + "e6c7b335dfdfcd5b3960d5af27087f3672c1ab270fb5291f9587316065c003ed4ee5b1063d5007");
  }

  @Test
  void huffmanWhenShorterSendsEqualLengthStringsRaw() {
    // "307" is 17 bits Huffman-coded: 3 bytes, no shorter than raw, so it goes raw.
    HpackEncoder encoder = new HpackEncoder(4096, HpackEncoder.IndexingPolicy.incremental());
    assertEquals("4803333037", hex(encoder.encode(List.of(h(":status", "307")))));
    assertEquals("48826402", hex(encoder.encode(List.of(h(":status", "302")))));
  }

  @Test
  void c1IntegerExamples() throws Exception {
    // C.1.2: 1337 with a 5-bit prefix is 1f 9a 0a; as a size update (001 prefix) it is 3f 9a 0a.
    HpackDecoder decoder = new HpackDecoder(4096, 1 << 20);
    decoder.decode(hex("3f9a0a"));
    assertEquals(1337, decoder.dynamicTableMaxSize());
    // C.1.1: 10 fits the prefix.
    decoder.decode(hex("2a"));
    assertEquals(10, decoder.dynamicTableMaxSize());
  }
}
