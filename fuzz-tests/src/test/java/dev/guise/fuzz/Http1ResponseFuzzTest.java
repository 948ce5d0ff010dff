package dev.guise.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.guise.codec.http1.ChunkedInputStream;
import dev.guise.codec.http1.Http1Input;
import dev.guise.codec.http1.Http1Limits;
import dev.guise.codec.http1.Http1Response;
import dev.guise.codec.http1.Http1ResponseParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * HTTP/1.1 responses as a kept-alive connection reads them: a head, its body in the framing the
 * head chose (Content-Length, chunked, until close), then the next response, until the input or the
 * connection ends. Limits are small so that a head or chunk line past them shows at once.
 */
class Http1ResponseFuzzTest {
  private static final Http1Limits LIMITS = new Http1Limits(512, 4096, 128, 1024);

  @FuzzTest
  void parseResponses(byte[] input) throws IOException {
    Http1Input in = new Http1Input(new ByteArrayInputStream(input), 1024);
    Http1ResponseParser parser = new Http1ResponseParser(LIMITS);
    Contract.parsesOrFailsClassified(
        () -> {
          for (int i = 0; i < 16; i++) {
            Http1Response head = parser.parse(in, i % 3 == 2 ? "HEAD" : "GET");
            if (head == null) {
              return;
            }
            // A body can never be longer than the bytes we were given.
            Contract.drain(in.body(head.framing(), head.contentLength(), LIMITS), input.length);
            if (!head.keepAlive()) {
              return;
            }
          }
        },
        Contract.MALFORMED_INPUT);
  }

  /** The chunked decoder on its own, fed every byte as body (no head in front). */
  @FuzzTest
  void chunkedBody(byte[] input) throws IOException {
    ChunkedInputStream chunked =
        new ChunkedInputStream(new Http1Input(new ByteArrayInputStream(input), 1024), LIMITS);
    Contract.parsesOrFailsClassified(
        () -> {
          Contract.drain(chunked, input.length);
          chunked.trailers();
        },
        Contract.MALFORMED_INPUT);
  }
}
