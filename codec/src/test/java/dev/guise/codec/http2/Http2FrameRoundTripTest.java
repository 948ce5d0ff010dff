package dev.guise.codec.http2;

import static dev.guise.testing.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class Http2FrameRoundTripTest {

  private static byte[] write(Http2Frame... frames) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Http2FrameWriter writer = new Http2FrameWriter(out, 16_384);
    for (Http2Frame f : frames) {
      writer.write(f);
    }
    writer.flush();
    return out.toByteArray();
  }

  private static Http2Frame readOne(byte[] wire) throws Exception {
    Http2FrameReader reader = new Http2FrameReader(new ByteArrayInputStream(wire), 16_384);
    Http2Frame f = reader.readFrame();
    assertNull(reader.readFrame(), "exactly one frame");
    return f;
  }

  /**
   * Writes, reads back, writes again: the bytes must be identical and the frame of the same shape.
   */
  private static Http2Frame roundTrip(Http2Frame frame) throws Exception {
    byte[] wire = write(frame);
    Http2Frame back = readOne(wire);
    assertEquals(frame.getClass(), back.getClass());
    assertEquals(frame.type(), back.type());
    assertEquals(frame.flags(), back.flags());
    assertEquals(frame.streamId(), back.streamId());
    assertArrayEquals(wire, write(back));
    return back;
  }

  @Test
  void everyFrameTypeRoundTrips() throws Exception {
    byte[] bytes = {1, 2, 3, 4, 5};
    Http2Frame.Data data = (Http2Frame.Data) roundTrip(new Http2Frame.Data(3, bytes, true, -1));
    assertArrayEquals(bytes, data.data());
    Http2Frame.Data padded = (Http2Frame.Data) roundTrip(new Http2Frame.Data(3, bytes, false, 7));
    assertArrayEquals(bytes, padded.data());
    assertEquals(7, padded.padding());
    assertEquals(5 + 7 + 1, padded.flowControlledLength());

    var prio = new Http2Frame.PriorityFields(true, 0, 256);
    Http2Frame.Headers h =
        (Http2Frame.Headers)
            roundTrip(new Http2Frame.Headers(1, bytes, true, true, Optional.of(prio), -1));
    assertEquals(Optional.of(prio), h.priority());
    assertArrayEquals(bytes, h.blockFragment());
    Http2Frame.Headers hp =
        (Http2Frame.Headers)
            roundTrip(
                new Http2Frame.Headers(
                    5,
                    bytes,
                    false,
                    false,
                    Optional.of(new Http2Frame.PriorityFields(false, 3, 42)),
                    4));
    assertEquals(4, hp.padding());
    assertEquals(42, hp.priority().orElseThrow().weight());
    assertArrayEquals(bytes, hp.blockFragment());
    roundTrip(new Http2Frame.Headers(7, new byte[0], false, true, Optional.empty(), 0));

    assertEquals(
        new Http2Frame.Priority(9, new Http2Frame.PriorityFields(false, 7, 1)),
        roundTrip(new Http2Frame.Priority(9, new Http2Frame.PriorityFields(false, 7, 1))));
    assertEquals(new Http2Frame.RstStream(1, 8), roundTrip(new Http2Frame.RstStream(1, 8)));
    var settings =
        new Http2Frame.Settings(
            false,
            List.of(
                new Http2Setting(4, 6291456),
                new Http2Setting(1, 65536),
                new Http2Setting(0x1234, 0xffff_ffffL)));
    assertEquals(settings, roundTrip(settings));
    assertEquals(Http2Frame.Settings.ACK, roundTrip(Http2Frame.Settings.ACK));

    Http2Frame.PushPromise pp =
        (Http2Frame.PushPromise) roundTrip(new Http2Frame.PushPromise(1, 2, bytes, true, 3));
    assertEquals(2, pp.promisedStreamId());
    assertArrayEquals(bytes, pp.blockFragment());
    roundTrip(new Http2Frame.PushPromise(1, 4, bytes, false, -1));

    assertEquals(
        new Http2Frame.Ping(true, 0x0102030405060708L),
        roundTrip(new Http2Frame.Ping(true, 0x0102030405060708L)));
    assertEquals(new Http2Frame.Ping(false, -1L), roundTrip(new Http2Frame.Ping(false, -1L)));

    Http2Frame.GoAway g =
        (Http2Frame.GoAway) roundTrip(new Http2Frame.GoAway(7, 0xb, "calm".getBytes()));
    assertEquals(7, g.lastStreamId());
    assertEquals(Http2ErrorCode.ENHANCE_YOUR_CALM, Http2ErrorCode.of(g.errorCode()));
    assertArrayEquals("calm".getBytes(), g.debugData());

    assertEquals(
        new Http2Frame.WindowUpdate(0, 15663105),
        roundTrip(new Http2Frame.WindowUpdate(0, 15663105)));
    assertEquals(
        new Http2Frame.WindowUpdate(3, Integer.MAX_VALUE),
        roundTrip(new Http2Frame.WindowUpdate(3, Integer.MAX_VALUE)));

    Http2Frame.Continuation c =
        (Http2Frame.Continuation) roundTrip(new Http2Frame.Continuation(1, bytes, true));
    assertArrayEquals(bytes, c.blockFragment());

    Http2Frame.Unknown u =
        (Http2Frame.Unknown) roundTrip(new Http2Frame.Unknown(0xfa, 0x3, 5, bytes));
    assertArrayEquals(bytes, u.payload());
  }

  @Test
  void chromeSettingsAndWindowUpdateAreByteExact() throws Exception {
    // Payloads from the reference capture browsers/chromium1-conn03.json (testing-support).
    byte[] settings =
        write(
            new Http2Frame.Settings(
                false,
                List.of(
                    new Http2Setting(Http2Setting.HEADER_TABLE_SIZE, 65536),
                    new Http2Setting(Http2Setting.ENABLE_PUSH, 0),
                    new Http2Setting(Http2Setting.INITIAL_WINDOW_SIZE, 6291456),
                    new Http2Setting(Http2Setting.MAX_HEADER_LIST_SIZE, 262144))));
    assertEquals(
        "000018" + "04" + "00" + "00000000" + "000100010000000200000000000400600000000600040000",
        hex(settings));
    assertEquals(
        "000004" + "08" + "00" + "00000000" + "00ef0001",
        hex(write(new Http2Frame.WindowUpdate(0, 15663105))));
    // Chrome's HEADERS priority: exclusive, depends on 0, weight 256 (wire 255).
    byte[] headers =
        write(
            new Http2Frame.Headers(
                1,
                hex("82"),
                true,
                true,
                Optional.of(new Http2Frame.PriorityFields(true, 0, 256)),
                -1));
    assertEquals("000006" + "01" + "25" + "00000001" + "80000000ff" + "82", hex(headers));
    assertEquals(
        "505249202a20485454502f322e300d0a0d0a534d0d0a0d0a", hex(Http2FrameWriter.clientPreface()));
  }

  @Test
  void headerBlocksAreSplitIntoContinuations() throws Exception {
    byte[] block = new byte[40_000];
    for (int i = 0; i < block.length; i++) {
      block[i] = (byte) i;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Http2FrameWriter writer = new Http2FrameWriter(out, 16_384);
    writer.writeHeaders(3, block, true, Optional.of(new Http2Frame.PriorityFields(false, 0, 16)));
    Http2FrameReader reader =
        new Http2FrameReader(new ByteArrayInputStream(out.toByteArray()), 16_384);
    HeaderBlockAssembler assembler = new HeaderBlockAssembler(64 * 1024);

    Http2Frame.Headers first = assertInstanceOf(Http2Frame.Headers.class, reader.readFrame());
    assertEquals(16_384 - 5, first.blockFragment().length);
    assertEquals(false, first.endHeaders());
    assertEquals(true, first.endStream());
    assertNull(assembler.accept(first));
    Http2Frame.Continuation second =
        assertInstanceOf(Http2Frame.Continuation.class, reader.readFrame());
    assertEquals(16_384, second.blockFragment().length);
    assertNull(assembler.accept(second));
    Http2Frame.Continuation third =
        assertInstanceOf(Http2Frame.Continuation.class, reader.readFrame());
    assertEquals(40_000 - 16_379 - 16_384, third.blockFragment().length);
    assertEquals(true, third.endHeaders());
    HeaderBlockAssembler.HeaderBlock done = assembler.accept(third);
    assertArrayEquals(block, done.block());
    assertEquals(3, done.streamId());
    assertEquals(true, done.endStream());
    assertNull(reader.readFrame());
  }

  @Test
  void smallBlockIsOneHeadersFrame() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new Http2FrameWriter(out, 16_384).writeHeaders(1, hex("8286"), false, Optional.empty());
    assertEquals("000002" + "01" + "04" + "00000001" + "8286", hex(out.toByteArray()));
  }

  @Test
  void writeDataFromASlice() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new Http2FrameWriter(out, 16_384).writeData(1, hex("00112233"), 1, 2, true);
    assertEquals("000002" + "00" + "01" + "00000001" + "1122", hex(out.toByteArray()));
  }
}
