package dev.guise.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.guise.codec.hpack.HpackDecoder;
import dev.guise.codec.http2.HeaderBlockAssembler;
import dev.guise.codec.http2.Http2Frame;
import dev.guise.codec.http2.Http2FrameReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * A server's byte stream after the preface, read the way a connection reads it: frames from {@link
 * Http2FrameReader}, header fragments through {@link HeaderBlockAssembler} (CONTINUATION
 * sequencing, block limits) and completed blocks through one {@link HpackDecoder}.
 */
class Http2FrameFuzzTest {
  private static final int MAX_HEADER_BLOCK = 16 * 1024;

  @FuzzTest
  void readFrames(byte[] input) throws IOException {
    Http2FrameReader reader =
        new Http2FrameReader(
            new ByteArrayInputStream(input), Http2FrameReader.DEFAULT_MAX_FRAME_SIZE);
    HeaderBlockAssembler assembler = new HeaderBlockAssembler(MAX_HEADER_BLOCK);
    HpackDecoder hpack = new HpackDecoder(HpackDecoder.DEFAULT_HEADER_TABLE_SIZE, MAX_HEADER_BLOCK);
    Contract.parsesOrFailsClassified(
        () -> {
          // Each frame consumes at least its 9-byte header, so the loop ends with the input.
          for (Http2Frame frame; (frame = reader.readFrame()) != null; ) {
            HeaderBlockAssembler.HeaderBlock block = assembler.accept(frame);
            if (block != null) {
              hpack.decode(block.block());
            }
          }
        },
        Contract.MALFORMED_INPUT);
  }
}
