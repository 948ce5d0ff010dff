package dev.guise.codec.hpack;

import static dev.guise.testing.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.FailureKind;
import dev.guise.api.Header;
import dev.guise.api.PoolAction;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Malformed blocks and hostile peers: every one is a classified error, none grows memory. */
class HpackDecoderLimitsTest {

  private static HpackException reject(String hexBlock) {
    HpackDecoder decoder = new HpackDecoder(4096, 1 << 20);
    HpackException e = assertThrows(HpackException.class, () -> decoder.decode(hex(hexBlock)));
    assertEquals(FailureKind.PROTOCOL_ERROR, e.kind(), e.getMessage());
    return e;
  }

  @Test
  void indexZero() {
    reject("80");
  }

  @Test
  void indexBeyondTheDynamicTable() {
    reject("be"); // 62, table empty
    reject("ff9f4e"); // a large index
    reject("7f40"); // literal name index 127 (63 + 64) beyond the table
  }

  @Test
  void truncatedInteger() {
    reject("ff"); // prefix full, no continuation byte
    reject("ff80"); // continuation bit set, then end
  }

  @Test
  void integerOverflow() {
    reject("ffffffffff0f"); // 127 + 0x7f + 0x7f<<7 + 0x7f<<14 + 0x7f<<21 + 0xf<<28 > 2^31-1
    reject("ff8080808080808001"); // too many continuation bytes, even if they add zeros
  }

  @Test
  void truncatedStrings() {
    reject("40"); // literal new name, no name
    reject("4005616263"); // name length 5, 3 bytes
    reject("4003616263"); // name, no value
    reject("000361626305"); // value length 5, nothing
  }

  @Test
  void huffmanPaddingNotOnes() {
    // 'a' is 00011 (5 bits); padding 000 instead of 111.
    reject("0001" + "61" + "81" + "18");
  }

  @Test
  void huffmanPaddingLongerThanSevenBits() {
    // 'a' 00011 + 111 1111 1111 (11 bits of ones): a full byte of padding.
    reject("0001" + "61" + "82" + "1fff");
  }

  @Test
  void huffmanEos() {
    // EOS (30 ones) + 2 padding ones = ffffffff.
    reject("0001" + "61" + "84" + "ffffffff");
  }

  @Test
  void upperCaseOrInvalidNames() {
    reject("0001" + "41" + "0161"); // "A"
    reject("0002" + "6120" + "0161"); // "a "
    reject("0000" + "0161"); // empty name
    reject("0001" + "61" + "020d0a"); // value with CR LF
  }

  @Test
  void sizeUpdateAfterAField() {
    reject("82" + "20");
  }

  @Test
  void sizeUpdateAboveOurSetting() {
    reject("3fe21f"); // 4097 > 4096
    HpackDecoder small = new HpackDecoder(256, 1 << 20);
    HpackException e = assertThrows(HpackException.class, () -> small.decode(hex("3fe201")));
    assertEquals(FailureKind.PROTOCOL_ERROR, e.kind());
  }

  @Test
  void tooManySizeUpdates() {
    reject("20" + "20" + "20" + "82");
    // The table-size-change attack: thousands of updates in one block.
    reject("20".repeat(5000));
  }

  @Test
  void twoSizeUpdatesAtTheStartAreFine() throws Exception {
    HpackDecoder decoder = new HpackDecoder(4096, 1 << 20);
    assertEquals(
        List.of(new Header(":method", "GET")), decoder.decode(hex("20" + "3f e1 1f" + "82")));
    assertEquals(4096, decoder.dynamicTableMaxSize());
  }

  @Test
  void shrunkSettingRequiresAnUpdate() throws Exception {
    HpackDecoder decoder = new HpackDecoder(4096, 1 << 20);
    decoder.decode(hex("400a637573746f6d2d6b65790d637573746f6d2d686561646572"));
    decoder.setHeaderTableSize(0);
    HpackException e = assertThrows(HpackException.class, () -> decoder.decode(hex("82")));
    assertEquals(FailureKind.PROTOCOL_ERROR, e.kind());

    HpackDecoder ok = new HpackDecoder(4096, 1 << 20);
    ok.decode(hex("400a637573746f6d2d6b65790d637573746f6d2d686561646572"));
    ok.setHeaderTableSize(0);
    assertEquals(List.of(new Header(":method", "GET")), ok.decode(hex("20" + "82")));
    assertEquals(0, ok.dynamicTableLength());
  }

  @Test
  void headerListLimitStopsCollectingButKeepsTheTableInStep() throws Exception {
    // One 4000-byte value indexed once, then referenced 10,000 times by a one-byte index: the
    // block is 14 KB but would expand to 40 MB. The limit cuts it off.
    String big = "v".repeat(4000);
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    HpackEncoder encoder =
        new HpackEncoder(
            4096, HpackEncoder.IndexingPolicy.incremental(), HpackEncoder.HuffmanPolicy.NEVER);
    block.writeBytes(encoder.encode(List.of(new Header("x-big", big))));
    for (int i = 0; i < 10_000; i++) {
      block.write(0x80 | 62);
    }
    HpackDecoder decoder = new HpackDecoder(4096, 64 * 1024);
    HpackException e =
        assertThrows(HpackException.class, () -> decoder.decode(block.toByteArray()));
    assertEquals(FailureKind.RESPONSE_TOO_LARGE, e.kind());
    assertEquals(PoolAction.KEEP, e.failure().action());
    // Still in step: the entry added by the failed block is there and usable.
    assertEquals(List.of(new Header("x-big", big)), decoder.decode(hex("be")));
  }

  @Test
  void headerListLimitIsTheRfcDefinition() throws Exception {
    // ":method: GET" counts 7 + 3 + 32 = 42.
    assertEquals(1, new HpackDecoder(4096, 42).decode(hex("82")).size());
    HpackException e =
        assertThrows(HpackException.class, () -> new HpackDecoder(4096, 41).decode(hex("82")));
    assertEquals(FailureKind.RESPONSE_TOO_LARGE, e.kind());
    assertTrue(e.getMessage().contains("41"));
  }
}
