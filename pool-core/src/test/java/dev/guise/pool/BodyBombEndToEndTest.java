package dev.guise.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.FailureKind;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.retry.LinearRetryPolicy;
import dev.guise.testkit.TestResponse;
import dev.guise.testkit.TestServer;
import io.airlift.compress.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Hostile peer, end to end: a server answers with a compression bomb (a few KiB on the wire, 50 MB
 * or more decoded) in each coding the profiles advertise, over HTTP/2 and HTTP/1.1. The pool must
 * stop decoding at {@code maxResponseBodyBytes} and fail the request as RESPONSE_TOO_LARGE, without
 * holding the decoded body and without retrying it into another bomb.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BodyBombEndToEndTest {
  private static final String HOST = "bomb.pool.test";
  private static final long LIMIT = 1 << 20;

  interface Encoder {
    OutputStream wrap(OutputStream out) throws IOException;
  }

  private static byte[] bomb(Encoder encoder) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream z = encoder.wrap(out)) {
      byte[] zeros = new byte[1 << 16];
      for (int i = 0; i < 50_000_000 / zeros.length; i++) {
        z.write(zeros);
      }
    }
    return out.toByteArray();
  }

  private static byte[] brotliBomb() throws IOException {
    // 100 MB of zeros, made with the brotli command-line tool (see ContentDecodingTest)
    try (InputStream in =
        BodyBombEndToEndTest.class.getResourceAsStream(
            "/dev/guise/pool/internal/exchange/bomb.br")) {
      return in.readAllBytes();
    }
  }

  @ParameterizedTest(name = "{0} over {1}")
  @CsvSource({"gzip, h2", "gzip, http/1.1", "br, h2", "br, http/1.1", "zstd, h2", "zstd, http/1.1"})
  void bombStopsAtTheBodyLimit(String coding, String alpn) throws Exception {
    Map<String, byte[]> bombs =
        Map.of(
            "gzip", bomb(GZIPOutputStream::new),
            "br", brotliBomb(),
            "zstd", bomb(ZstdOutputStream::new));
    byte[] body = bombs.get(coding);
    assertTrue(body.length < 100_000, coding + " bomb is small on the wire: " + body.length);
    try (TestServer server =
            TestServer.builder()
                .hostNames(HOST)
                .alpn(alpn)
                .handler(
                    r ->
                        TestResponse.bytes(200, "text/html", body)
                            .withHeader("content-encoding", coding))
                .build()
                .start();
        HotConnectionPool pool =
            HotConnectionPool.create(
                PoolConfig.builder()
                    .engine("jdk")
                    .trust(server.certificateAuthority().trustPolicy())
                    .limits(l -> l.withMaxResponseBodyBytes(LIMIT))
                    .retryPolicy(new LinearRetryPolicy(Duration.ZERO, 3))
                    .build());
        GuiseClient client = new GuiseClient(pool)) {
      pool.addIps(HOST, server.port(), server.addresses());
      var e =
          assertThrows(
              RequestFailedException.class,
              () ->
                  client.send(
                      HttpRequest.newBuilder(
                              URI.create("https://" + HOST + ":" + server.port() + "/"))
                          .timeout(Duration.ofSeconds(10))
                          .build()));
      assertEquals(FailureKind.RESPONSE_TOO_LARGE, e.kind(), e.getMessage());
      assertEquals(1, e.attempts(), "a bomb is not fetched again: " + e.getMessage());
      assertEquals(1, server.requestsReceived());
    }
  }
}
