package dev.guise.codec.http2;

import static dev.guise.testing.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.guise.api.FailureKind;
import dev.guise.api.Header;
import dev.guise.codec.hpack.HpackDecoder;
import dev.guise.codec.hpack.HpackEncoder;
import dev.guise.codec.hpack.HpackException;
import dev.guise.testing.ReferenceCaptures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Real browsers' first frames (the reference captures browsers/chromium*.json and firefox*.json):
 * each client frame's bytes are rebuilt from the capture and read with {@link Http2FrameReader};
 * frame types, flags and SETTINGS must match the capture, and writing the frames back must give the
 * same bytes. The first HEADERS block is decoded with {@link HpackDecoder} and compared with the
 * capture's {@code http2.detail.first_headers}.
 *
 * <p>The captures keep at most 256 bytes of each payload ({@code payload_hex}), while the browsers'
 * first HEADERS blocks are longer (279 and 439 bytes). So the test decodes the longest prefix of
 * the kept bytes that ends on a field boundary and requires the fields found to be exactly the
 * first fields of {@code first_headers} (at least the pseudo-headers and more); decoding the cut
 * block whole must fail as truncated, never yield a wrong field. And our encoder, fed the full
 * header list and set up as each browser encodes, must reproduce the browser's kept bytes exactly.
 */
class ReferenceCaptureHeadersTest {

  @SuppressWarnings("unchecked")
  @TestFactory
  Stream<DynamicTest> browserFirstHeadersDecode() throws Exception {
    List<String> files =
        ReferenceCaptures.list("browsers", ".json").stream()
            .filter(p -> ReferenceCaptures.stem(p, ".json").matches("(chromium|firefox).*"))
            .toList();
    List<DynamicTest> tests = new ArrayList<>();
    int withHttp2 = 0;
    for (String file : files) {
      Map<String, Object> json = JSON.std.mapFrom(ReferenceCaptures.text(file));
      Map<String, Object> http2 = (Map<String, Object>) json.get("http2");
      if (http2 == null || !(http2.get("frames") instanceof List<?> frames) || frames.isEmpty()) {
        continue;
      }
      withHttp2++;
      String name = ReferenceCaptures.stem(file, "");
      boolean firefox = name.startsWith("firefox");
      tests.add(DynamicTest.dynamicTest(name, () -> check(http2, firefox)));
    }
    assertTrue(withHttp2 >= 4, "expected several captures with HTTP/2 frames, found " + withHttp2);
    return tests.stream();
  }

  /**
   * The fields of the longest prefix of {@code block} that decodes; the whole must decode or fail
   * as truncated.
   */
  private static List<Header> decodeLongestPrefix(byte[] block) throws Exception {
    try {
      return new HpackDecoder(4096, 256 * 1024).decode(block);
    } catch (HpackException e) {
      assertEquals(FailureKind.PROTOCOL_ERROR, e.kind());
      assertTrue(
          e.getMessage().contains("truncated") || e.getMessage().contains("longer than the rest"),
          e.getMessage());
    }
    for (int k = block.length - 1; k > 0; k--) {
      try {
        return new HpackDecoder(4096, 256 * 1024).decode(block, 0, k);
      } catch (HpackException e) {
        // not a field boundary
      }
    }
    return List.of();
  }

  @SuppressWarnings("unchecked")
  private static void check(Map<String, Object> http2, boolean firefox) throws Exception {
    List<Map<String, Object>> frames = (List<Map<String, Object>>) http2.get("frames");
    Map<String, Object> detail = (Map<String, Object>) http2.get("detail");
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    for (Map<String, Object> f : frames) {
      int length = ((Number) f.get("length")).intValue();
      int type = ((Number) f.get("type")).intValue();
      int flags = Integer.decode((String) f.get("flags"));
      int stream = ((Number) f.get("stream_id")).intValue();
      byte[] payload = hex((String) f.get("payload_hex"));
      assertTrue(
          payload.length == length || payload.length == 256, "payload kept whole or cut at 256");
      length = payload.length;
      wire.write(
          new byte[] {
            (byte) (length >>> 16), (byte) (length >>> 8), (byte) length, (byte) type, (byte) flags
          });
      wire.write(
          new byte[] {
            (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream
          });
      wire.write(payload);
    }
    byte[] bytes = wire.toByteArray();
    Http2FrameReader reader = new Http2FrameReader(new ByteArrayInputStream(bytes), 16_384);
    HeaderBlockAssembler assembler = new HeaderBlockAssembler(256 * 1024);
    // Browsers advertise their own table size; what counts for decoding their HEADERS is the
    // table size the server allowed, the default 4096.
    HpackDecoder decoder = new HpackDecoder(4096, 256 * 1024);
    ByteArrayOutputStream rewritten = new ByteArrayOutputStream();
    Http2FrameWriter writer = new Http2FrameWriter(rewritten, 16_384);
    List<Header> firstHeaders = null;
    boolean firstHeadersCut = false;
    Http2Frame.Headers firstHeadersFrame = null;
    Http2Frame frame;
    int index = 0;
    while ((frame = reader.readFrame()) != null) {
      Map<String, Object> expected = frames.get(index++);
      assertEquals(((Number) expected.get("type")).intValue(), frame.type());
      assertEquals(Integer.decode((String) expected.get("flags")), frame.flags());
      writer.write(frame);
      if (frame instanceof Http2Frame.Settings s && !s.ack()) {
        List<Map<String, Object>> settings = (List<Map<String, Object>>) expected.get("settings");
        assertEquals(settings.size(), s.settings().size());
        for (int i = 0; i < settings.size(); i++) {
          assertEquals(((Number) settings.get(i).get("id")).intValue(), s.settings().get(i).id());
          assertEquals(
              ((Number) settings.get(i).get("value")).longValue(), s.settings().get(i).value());
        }
      }
      HeaderBlockAssembler.HeaderBlock block = assembler.accept(frame);
      if (block != null && firstHeadersFrame == null) {
        firstHeadersFrame = (Http2Frame.Headers) block.first();
        firstHeaders = decodeLongestPrefix(block.block());
        firstHeadersCut = block.block().length < ((Number) expected.get("length")).intValue() - 5;
      }
    }
    assertEquals(frames.size(), index);
    // Every frame written back is byte for byte what the browser sent.
    assertEquals(hex(bytes), hex(rewritten.toByteArray()));

    List<List<String>> expectedHeaders = (List<List<String>>) detail.get("first_headers");
    List<Header> expected = new ArrayList<>();
    for (List<String> pair : expectedHeaders) {
      expected.add(new Header(pair.get(0), pair.get(1)));
    }
    assertFalse(expected.isEmpty());
    if (firstHeadersCut) {
      assertTrue(firstHeaders.size() >= 6, "decoded only " + firstHeaders);
      assertEquals(expected.subList(0, firstHeaders.size()), firstHeaders);
    } else {
      assertEquals(expected, firstHeaders);
    }
    assertEquals(
        ((Number) detail.get("first_headers_stream_id")).intValue(), firstHeadersFrame.streamId());
    Map<String, Object> priority = (Map<String, Object>) detail.get("first_headers_priority");
    if (priority != null) {
      Http2Frame.PriorityFields p = firstHeadersFrame.priority().orElseThrow();
      assertEquals(priority.get("exclusive"), p.exclusive());
      assertEquals(((Number) priority.get("depends_on")).intValue(), p.streamDependency());
      assertEquals(((Number) priority.get("weight")).intValue(), p.weight());
    }

    // Our encoder, set up as each browser encodes, produces exactly the browser's bytes. Chromium:
    // incremental indexing, Huffman when shorter. Firefox: :path without indexing, Huffman always.
    HpackEncoder encoder =
        firefox
            ? new HpackEncoder(
                4096,
                (name, value) ->
                    name.equals(":path")
                        ? HpackEncoder.Indexing.WITHOUT_INDEXING
                        : HpackEncoder.Indexing.INCREMENTAL,
                HpackEncoder.HuffmanPolicy.ALWAYS)
            : new HpackEncoder();
    byte[] ours = encoder.encode(expected);
    byte[] theirs = firstHeadersFrame.blockFragment();
    assertEquals(hex(theirs), hex(Arrays.copyOf(ours, Math.min(ours.length, theirs.length))));
    assertEquals(expected, new HpackDecoder(4096, 256 * 1024).decode(ours));
  }
}
