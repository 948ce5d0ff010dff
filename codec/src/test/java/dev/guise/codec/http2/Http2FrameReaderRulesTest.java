package dev.guise.codec.http2;

import static dev.guise.testing.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Frames that break single-frame rules, and the CONTINUATION flood. */
class Http2FrameReaderRulesTest {

  private static Http2Exception reject(String hexFrame, Http2ErrorCode code, boolean connection) {
    Http2FrameReader reader = new Http2FrameReader(new ByteArrayInputStream(hex(hexFrame)), 16_384);
    Http2Exception e = assertThrows(Http2Exception.class, reader::readFrame);
    assertEquals(code, e.errorCode(), e.getMessage());
    assertEquals(FailureKind.PROTOCOL_ERROR, e.kind());
    assertEquals(connection, e.isConnectionError(), e.getMessage());
    return e;
  }

  @Test
  void oversizedFrameIsRejectedBeforeItsPayloadIsRead() throws Exception {
    // Length 16385, and no payload at all: the reader must not try to read (or allocate) it.
    reject("004001" + "00" + "00" + "00000001", Http2ErrorCode.FRAME_SIZE_ERROR, true);
    Http2FrameReader big =
        new Http2FrameReader(new ByteArrayInputStream(hex("ffffff0000000000010000")), 16_384);
    assertThrows(Http2Exception.class, big::readFrame);
  }

  @Test
  void largerMaxFrameSizeIsHonoured() throws Exception {
    byte[] frame = new byte[9 + 20_000];
    frame[0] = 0x00;
    frame[1] = 0x4e;
    frame[2] = 0x20; // 20000
    frame[8] = 1;
    Http2FrameReader reader = new Http2FrameReader(new ByteArrayInputStream(frame), 16_384);
    reader.setMaxFrameSize(32_768);
    assertEquals(20_000, assertInstanceOf(Http2Frame.Data.class, reader.readFrame()).data().length);
  }

  @Test
  void streamIdRules() {
    reject(
        "000001" + "00" + "00" + "00000000" + "00",
        Http2ErrorCode.PROTOCOL_ERROR,
        true); // DATA on 0
    reject(
        "000001" + "01" + "04" + "00000000" + "82",
        Http2ErrorCode.PROTOCOL_ERROR,
        true); // HEADERS on 0
    reject("000005" + "02" + "00" + "00000000" + "0000000010", Http2ErrorCode.PROTOCOL_ERROR, true);
    reject("000004" + "03" + "00" + "00000000" + "00000008", Http2ErrorCode.PROTOCOL_ERROR, true);
    reject(
        "000000" + "04" + "00" + "00000001", Http2ErrorCode.PROTOCOL_ERROR, true); // SETTINGS on 1
    reject(
        "000008" + "06" + "00" + "00000003" + "0000000000000000",
        Http2ErrorCode.PROTOCOL_ERROR,
        true);
    reject(
        "000008" + "07" + "00" + "00000001" + "0000000000000000",
        Http2ErrorCode.PROTOCOL_ERROR,
        true);
    reject("000000" + "09" + "04" + "00000000", Http2ErrorCode.PROTOCOL_ERROR, true);
    reject("000004" + "05" + "04" + "00000000" + "00000002", Http2ErrorCode.PROTOCOL_ERROR, true);
  }

  @Test
  void fixedLengths() {
    reject(
        "000004" + "02" + "00" + "00000001" + "00000000", Http2ErrorCode.FRAME_SIZE_ERROR, false);
    reject("000003" + "03" + "00" + "00000001" + "000000", Http2ErrorCode.FRAME_SIZE_ERROR, true);
    reject(
        "000007" + "06" + "00" + "00000000" + "00000000000000",
        Http2ErrorCode.FRAME_SIZE_ERROR,
        true);
    reject(
        "000007" + "07" + "00" + "00000000" + "00000000000000",
        Http2ErrorCode.FRAME_SIZE_ERROR,
        true);
    reject(
        "000005" + "08" + "00" + "00000000" + "0000000001", Http2ErrorCode.FRAME_SIZE_ERROR, true);
    reject(
        "000005" + "04" + "00" + "00000000" + "0001000000", Http2ErrorCode.FRAME_SIZE_ERROR, true);
    reject(
        "000006" + "04" + "01" + "00000000" + "000100000000",
        Http2ErrorCode.FRAME_SIZE_ERROR,
        true);
  }

  @Test
  void streamErrorOnAFixedLengthLeavesTheReaderInStepWithTheNextFrame() throws Exception {
    // PRIORITY of 4 bytes on stream 1 (a stream error), then PING.
    Http2FrameReader reader =
        new Http2FrameReader(
            new ByteArrayInputStream(
                hex(
                    "000004"
                        + "02"
                        + "00"
                        + "00000001"
                        + "00000003"
                        + "000008"
                        + "06"
                        + "00"
                        + "00000000"
                        + "0102030405060708")),
            16_384);
    Http2Exception e = assertThrows(Http2Exception.class, reader::readFrame);
    assertEquals(1, e.streamId());
    assertEquals(new Http2FrameHeader(4, Http2Frame.TYPE_PRIORITY, 0, 1), reader.lastFrameHeader());
    Http2Frame.Ping ping = assertInstanceOf(Http2Frame.Ping.class, reader.readFrame());
    assertEquals(0x0102030405060708L, ping.opaqueData());
  }

  @Test
  void lastFrameHeaderKeepsWhatTheFrameObjectCannot() throws Exception {
    // SETTINGS with an undefined flag bit (0x02), and padded DATA (length counts the padding).
    Http2FrameReader reader =
        new Http2FrameReader(
            new ByteArrayInputStream(
                hex(
                    "000006"
                        + "04"
                        + "02"
                        + "00000000"
                        + "000300000064"
                        + "000004"
                        + "00"
                        + "09"
                        + "00000001"
                        + "02610000")),
            16_384);
    assertNull(reader.lastFrameHeader());
    Http2Frame.Settings settings = assertInstanceOf(Http2Frame.Settings.class, reader.readFrame());
    assertEquals(0, settings.flags());
    assertEquals(
        new Http2FrameHeader(6, Http2Frame.TYPE_SETTINGS, 0x02, 0), reader.lastFrameHeader());
    Http2Frame.Data data = assertInstanceOf(Http2Frame.Data.class, reader.readFrame());
    assertEquals(1, data.data().length);
    assertEquals(new Http2FrameHeader(4, Http2Frame.TYPE_DATA, 0x09, 1), reader.lastFrameHeader());
    assertNull(reader.readFrame());
    assertNull(reader.lastFrameHeader());
    // A rejected frame is still described.
    Http2FrameReader oversized =
        new Http2FrameReader(
            new ByteArrayInputStream(hex("004001" + "00" + "00" + "00000001")), 16_384);
    assertThrows(Http2Exception.class, oversized::readFrame);
    assertEquals(
        new Http2FrameHeader(16_385, Http2Frame.TYPE_DATA, 0, 1), oversized.lastFrameHeader());
  }

  @Test
  void paddingBounds() {
    // DATA: pad length 4 in a 4-byte payload (needs 5).
    reject("000004" + "00" + "08" + "00000001" + "04000000", Http2ErrorCode.PROTOCOL_ERROR, true);
    // DATA padded with an empty payload.
    reject("000000" + "00" + "08" + "00000001", Http2ErrorCode.FRAME_SIZE_ERROR, true);
    // HEADERS padded + priority: 1 + 5 needed, pad 1 leaves only 4.
    reject(
        "000006" + "01" + "2c" + "00000001" + "01" + "80000000" + "00",
        Http2ErrorCode.PROTOCOL_ERROR,
        true);
    // HEADERS with priority but only 3 bytes.
    reject("000003" + "01" + "24" + "00000001" + "800000", Http2ErrorCode.FRAME_SIZE_ERROR, true);
    // PUSH_PROMISE too short for the promised id.
    reject("000003" + "05" + "04" + "00000001" + "000002", Http2ErrorCode.FRAME_SIZE_ERROR, true);
  }

  @Test
  void paddedDataWithMaximumPaddingIsFine() throws Exception {
    Http2FrameReader reader =
        new Http2FrameReader(
            new ByteArrayInputStream(hex("000004" + "00" + "08" + "00000001" + "03000000")),
            16_384);
    Http2Frame.Data d = assertInstanceOf(Http2Frame.Data.class, reader.readFrame());
    assertEquals(0, d.data().length);
    assertEquals(3, d.padding());
  }

  @Test
  void settingValues() {
    reject(
        "000006" + "04" + "00" + "00000000" + "000200000002", Http2ErrorCode.PROTOCOL_ERROR, true);
    reject(
        "000006" + "04" + "00" + "00000000" + "000480000000",
        Http2ErrorCode.FLOW_CONTROL_ERROR,
        true);
    reject(
        "000006" + "04" + "00" + "00000000" + "000500003fff", Http2ErrorCode.PROTOCOL_ERROR, true);
    reject(
        "000006" + "04" + "00" + "00000000" + "000501000000", Http2ErrorCode.PROTOCOL_ERROR, true);
  }

  @Test
  void zeroWindowIncrement() {
    reject("000004" + "08" + "00" + "00000000" + "00000000", Http2ErrorCode.PROTOCOL_ERROR, true);
    Http2Exception e =
        reject(
            "000004" + "08" + "00" + "00000005" + "80000000", Http2ErrorCode.PROTOCOL_ERROR, false);
    assertEquals(5, e.streamId());
  }

  @Test
  void truncatedFramesAreConnectionClosed() throws Exception {
    for (String wire : new String[] {"0000", "000004" + "08" + "00" + "00000000" + "0000"}) {
      Http2FrameReader reader = new Http2FrameReader(new ByteArrayInputStream(hex(wire)), 16_384);
      ClassifiedIOException e = assertThrows(ClassifiedIOException.class, reader::readFrame);
      assertEquals(FailureKind.CONNECTION_CLOSED, e.kind());
    }
    assertNull(new Http2FrameReader(new ByteArrayInputStream(new byte[0]), 16_384).readFrame());
  }

  @Test
  void reservedBitIsIgnored() throws Exception {
    Http2FrameReader reader =
        new Http2FrameReader(
            new ByteArrayInputStream(hex("000001" + "00" + "00" + "80000003" + "61")), 16_384);
    assertEquals(3, reader.readFrame().streamId());
  }

  @Test
  void clientPreface() throws Exception {
    new Http2FrameReader(new ByteArrayInputStream(Http2FrameWriter.clientPreface()), 16_384)
        .readClientPreface();
    Http2FrameReader bad =
        new Http2FrameReader(
            new ByteArrayInputStream("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes()), 16_384);
    assertEquals(
        Http2ErrorCode.PROTOCOL_ERROR,
        assertThrows(Http2Exception.class, bad::readClientPreface).errorCode());
  }

  @Test
  void continuationSequencing() throws Exception {
    HeaderBlockAssembler a = new HeaderBlockAssembler(1024);
    assertThrows(
        Http2Exception.class, () -> a.accept(new Http2Frame.Continuation(1, new byte[1], true)));
    HeaderBlockAssembler b = new HeaderBlockAssembler(1024);
    b.accept(new Http2Frame.Headers(1, new byte[1], false, false, Optional.empty(), -1));
    assertThrows(Http2Exception.class, () -> b.accept(new Http2Frame.Ping(false, 0)));
    HeaderBlockAssembler c = new HeaderBlockAssembler(1024);
    c.accept(new Http2Frame.Headers(1, new byte[1], false, false, Optional.empty(), -1));
    assertThrows(
        Http2Exception.class, () -> c.accept(new Http2Frame.Continuation(3, new byte[1], true)));
    // Frames outside a block pass through.
    assertNull(new HeaderBlockAssembler(1024).accept(new Http2Frame.Ping(false, 0)));
  }

  /** An endless stream of CONTINUATION frames: never ends, so only the limits can stop it. */
  private static InputStream endlessContinuations(int fragmentSize) {
    byte[] headers = hex("000001" + "01" + "00" + "00000001" + "82");
    byte[] continuation = new byte[9 + fragmentSize];
    continuation[2] = (byte) fragmentSize;
    continuation[1] = (byte) (fragmentSize >>> 8);
    continuation[3] = 0x9;
    continuation[8] = 1;
    return new InputStream() {
      long pos;

      @Override
      public int read() {
        long p = pos++;
        if (p < headers.length) {
          return headers[(int) p] & 0xff;
        }
        return continuation[(int) ((p - headers.length) % continuation.length)] & 0xff;
      }
    };
  }

  @Test
  void continuationFloodFailsFastWithBoundedMemory() throws Exception {
    for (int fragmentSize : new int[] {0, 1, 16_384}) {
      Http2FrameReader reader = new Http2FrameReader(endlessContinuations(fragmentSize), 16_384);
      HeaderBlockAssembler assembler = new HeaderBlockAssembler(64 * 1024);
      Http2Exception e =
          assertThrows(
              Http2Exception.class,
              () -> {
                for (int i = 0; i < 1_000_000; i++) {
                  assembler.accept(reader.readFrame());
                }
              });
      assertEquals(FailureKind.RESPONSE_TOO_LARGE, e.kind());
      assertEquals(Http2ErrorCode.COMPRESSION_ERROR, e.errorCode());
      assertEquals(true, e.isConnectionError());
    }
  }
}
