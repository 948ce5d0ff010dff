package dev.guise.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.guise.codec.content.ContentDecoders;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Response body decoders with a small output limit: any body decodes within the limit or fails
 * classified (RESPONSE_TOO_LARGE past the limit, PROTOCOL_ERROR for corrupt or truncated input).
 * One target per coding, so each corpus holds real bodies of its format.
 */
class ContentDecoderFuzzTest {
  private static final long LIMIT = 64 * 1024;

  @FuzzTest
  void gzip(byte[] input) throws IOException {
    decode("gzip", input);
  }

  @FuzzTest
  void deflate(byte[] input) throws IOException {
    decode("deflate", input);
  }

  @FuzzTest
  void brotli(byte[] input) throws IOException {
    decode("br", input);
  }

  @FuzzTest
  void zstd(byte[] input) throws IOException {
    decode("zstd", input);
  }

  private static void decode(String coding, byte[] input) throws IOException {
    Contract.parsesOrFailsClassified(
        () -> {
          try (InputStream in =
              ContentDecoders.decode(coding, new ByteArrayInputStream(input), LIMIT)) {
            Contract.drain(in, LIMIT);
          }
        },
        Contract.MALFORMED_INPUT);
  }
}
