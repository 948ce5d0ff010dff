package dev.guise.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.guise.api.Header;
import dev.guise.codec.hpack.HpackEncoder;
import dev.guise.codec.http2.Http2Frame;
import dev.guise.codec.http2.Http2FrameReader;
import dev.guise.codec.http2.Http2FrameWriter;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * The frame log keeps each client frame as it was on the wire: flag bits no frame type defines,
 * padding in the length, PRIORITY fields, unknown frame types, a header block split over
 * CONTINUATION. A hand-written client sends them, so nothing depends on what a JDK client does.
 */
class Http2FrameLogTest {

  private static void frame(
      ByteArrayOutputStream wire, int type, int flags, int streamId, String payloadHex) {
    byte[] payload = HexFormat.of().parseHex(payloadHex);
    wire.write(payload.length >>> 16);
    wire.write(payload.length >>> 8);
    wire.write(payload.length);
    wire.write(type);
    wire.write(flags);
    wire.write(streamId >>> 24);
    wire.write(streamId >>> 16);
    wire.write(streamId >>> 8);
    wire.write(streamId);
    wire.writeBytes(payload);
  }

  @Test
  void everyClientFrameIsLoggedWithItsRawFlagsAndLength() throws Exception {
    try (TestServer server = TestServer.builder().loopbackAddresses(2).build().start()) {
      InetAddress address = server.addresses().get(1);
      List<Header> request =
          List.of(
              new Header(":method", "GET"),
              new Header(":path", "/fingerprint"),
              new Header(":scheme", "https"),
              new Header(":authority", address.getHostAddress()),
              new Header("x-test", "frames"));
      byte[] block = new HpackEncoder().encode(request);
      String first = HexFormat.of().formatHex(block, 0, 3);
      String rest = HexFormat.of().formatHex(block, 3, block.length);

      ByteArrayOutputStream wire = new ByteArrayOutputStream();
      wire.writeBytes(Http2FrameWriter.clientPreface());
      frame(wire, 4, 0x02, 0, "000100010000" + "000300000064"); // SETTINGS, undefined flag 0x02
      frame(wire, 8, 0, 0, "000003e8"); // WINDOW_UPDATE 1000
      frame(wire, 2, 0, 3, "80000000" + "c8"); // PRIORITY: exclusive, on 0, weight 201
      frame(wire, 0xfa, 0xff, 0, "abcdef"); // unknown type: ignored, but logged
      frame(wire, 6, 0, 0, "0102030405060708"); // PING
      // HEADERS: PADDED | PRIORITY | END_STREAM, no END_HEADERS; pad 2, weight 256.
      frame(wire, 1, 0x29, 1, "02" + "00000000" + "ff" + first + "0000");
      frame(wire, 9, 0x04 | 0x10, 1, rest); // CONTINUATION, END_HEADERS and undefined 0x10

      String body;
      try (SSLSocket s = Clients.tlsSocket(server, address, "h2")) {
        s.startHandshake();
        s.getOutputStream().write(wire.toByteArray());
        s.getOutputStream().flush();
        body = readResponseBody(new Http2FrameReader(s.getInputStream(), 16_384), 1);
      }

      ConnectionRecord record = server.connections(address).get(0);
      List<Http2FrameRecord> frames = record.http2Frames();
      assertEquals(7, frames.size(), frames.toString());
      assertEquals(
          new Http2FrameRecord(4, "SETTINGS", 0x02, 0, 12, "1:65536;3:100"), frames.get(0));
      assertEquals(
          new Http2FrameRecord(8, "WINDOW_UPDATE", 0, 0, 4, "increment=1000"), frames.get(1));
      assertEquals(
          new Http2FrameRecord(2, "PRIORITY", 0, 3, 5, "exclusive=1;depends_on=0;weight=201"),
          frames.get(2));
      assertEquals(new Http2FrameRecord(0xfa, "UNKNOWN_250", 0xff, 0, 3, ""), frames.get(3));
      assertEquals(new Http2FrameRecord(6, "PING", 0, 0, 8, "0102030405060708"), frames.get(4));
      // Length: pad length octet + 5 priority octets + 3 block octets + 2 padding octets.
      assertEquals(
          new Http2FrameRecord(1, "HEADERS", 0x29, 1, 11, "priority=0:0:256;headers=" + request),
          frames.get(5));
      assertEquals(
          new Http2FrameRecord(9, "CONTINUATION", 0x14, 1, block.length - 3, ""), frames.get(6));

      assertEquals(request, record.requests().get(0).headers());
      assertEquals(0x29, record.http2FirstHeaders().orElseThrow().flags());
      assertEquals(256, record.http2FirstHeaders().orElseThrow().priority().orElseThrow().weight());
      assertEquals(
          "1:65536;3:100|1000|3:1:0:201|m,p,s,a", record.akamaiFingerprint().orElseThrow().value());

      // The echo carries the same log, and the address the connection arrived on.
      Object json = JsonTree.parse(body);
      assertEquals(address.getHostAddress(), JsonTree.at(json, "server_ip"));
      assertEquals(server.port(), JsonTree.at(json, "server_port"));
      List<Object> echoed = JsonTree.array(JsonTree.at(json, "http2.frames"));
      assertEquals(7, echoed.size());
      assertEquals(0x29, JsonTree.object(echoed.get(5)).get("flags"));
      assertEquals(11, JsonTree.object(echoed.get(5)).get("length"));
      assertEquals("UNKNOWN_250", JsonTree.object(echoed.get(3)).get("type"));
    }
  }

  /** Reads server frames until stream {@code streamId} ends; its DATA as text. */
  private static String readResponseBody(Http2FrameReader reader, int streamId) throws Exception {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    boolean sawHeaders = false;
    while (true) {
      Http2Frame f = reader.readFrame();
      assertNotNull(f, "server closed before the response ended");
      if (f.streamId() != streamId) {
        continue; // SETTINGS, SETTINGS ack, PING ack, WINDOW_UPDATE
      }
      switch (f) {
        case Http2Frame.Headers h -> {
          sawHeaders = true;
          if (h.endStream()) {
            return body.toString(StandardCharsets.UTF_8);
          }
        }
        case Http2Frame.Data d -> {
          body.writeBytes(d.data());
          if (d.endStream()) {
            assertEquals(true, sawHeaders);
            return body.toString(StandardCharsets.UTF_8);
          }
        }
        default -> throw new AssertionError("unexpected frame on the stream: " + f);
      }
    }
  }
}
