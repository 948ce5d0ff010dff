package dev.guise.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.guise.api.Header;
import dev.guise.codec.hpack.HpackDecoder;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * HPACK decoding of peer header blocks. The input is cut into two blocks decoded by one decoder (so
 * the second sees the dynamic table the first built), with our advertised table size changed in
 * between by the first byte: the table-size change paths (RFC 7541 section 4.2 and 6.3) are
 * exercised as well as plain decoding. Limits are small, so a header list or table growing past
 * them is visible at once.
 */
class HpackFuzzTest {
  private static final int MAX_HEADER_LIST = 8 * 1024;

  @FuzzTest
  void decode(byte[] input) throws IOException {
    HpackDecoder decoder =
        new HpackDecoder(HpackDecoder.DEFAULT_HEADER_TABLE_SIZE, MAX_HEADER_LIST);
    int cut = input.length == 0 ? 0 : 1 + (input[0] & 0xff) % Math.max(1, input.length);
    cut = Math.min(cut, input.length);
    byte[] first = Arrays.copyOfRange(input, Math.min(1, input.length), cut);
    byte[] second = Arrays.copyOfRange(input, cut, input.length);
    Contract.parsesOrFailsClassified(
        () -> {
          checkHeaderList(decoder.decode(first));
          checkTable(decoder);
          if (input.length > 0 && (input[0] & 1) == 1) {
            // Lower our limit between blocks: the peer must then open the next block with an
            // update.
            decoder.setHeaderTableSize((input[0] & 0xff) * 8);
          }
          checkHeaderList(decoder.decode(second));
          checkTable(decoder);
        },
        Contract.MALFORMED_INPUT);
  }

  private static void checkHeaderList(List<Header> headers) {
    long size = 0;
    for (Header h : headers) {
      // RFC 7541 section 4.1 counts 32 octets of overhead per field
      size += h.name().length() + h.value().length() + 32;
    }
    assertTrue(
        size <= MAX_HEADER_LIST, "decoded header list of " + size + " bytes passed the limit");
  }

  private static void checkTable(HpackDecoder decoder) {
    assertTrue(
        decoder.dynamicTableSize() <= decoder.dynamicTableMaxSize(),
        "dynamic table "
            + decoder.dynamicTableSize()
            + " over its size "
            + decoder.dynamicTableMaxSize());
    assertTrue(
        decoder.dynamicTableMaxSize() <= HpackDecoder.DEFAULT_HEADER_TABLE_SIZE,
        "peer grew the table past our SETTINGS_HEADER_TABLE_SIZE: "
            + decoder.dynamicTableMaxSize());
  }
}
