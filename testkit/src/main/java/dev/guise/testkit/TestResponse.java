package dev.guise.testkit;

import dev.guise.api.Header;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link RequestHandler} answers. The server adds {@code content-length} (or {@code
 * transfer-encoding: chunked} over HTTP/1.1 when {@code chunked}) and, over HTTP/1.1, {@code
 * connection: close} when it closes; do not put framing headers here.
 *
 * @param status the status code
 * @param headers extra response header fields in order (lower-case names for HTTP/2)
 * @param body the body
 * @param chunked HTTP/1.1 only: send the body with chunked transfer coding
 * @param stream a body written as it is generated, in place of {@code body} (which is then empty);
 *     null for an array body
 */
public record TestResponse(
    int status, List<Header> headers, byte[] body, boolean chunked, TestBody stream) {
  public TestResponse(int status, List<Header> headers, byte[] body, boolean chunked) {
    this(status, headers, body, chunked, null);
  }

  public TestResponse {
    if (status < 100 || status > 999) {
      throw new IllegalArgumentException("status must be 100..999: " + status);
    }
    headers = List.copyOf(headers);
    body = Objects.requireNonNull(body, "body").clone();
  }

  /** {@code status} with a UTF-8 text body. */
  public static TestResponse text(int status, String text) {
    return new TestResponse(
        status,
        List.of(new Header("content-type", "text/plain; charset=utf-8")),
        text.getBytes(StandardCharsets.UTF_8),
        false);
  }

  /** 200 with a UTF-8 text body. */
  public static TestResponse ok(String text) {
    return text(200, text);
  }

  /** {@code status} with a JSON body. */
  public static TestResponse json(int status, String json) {
    return new TestResponse(
        status,
        List.of(new Header("content-type", "application/json")),
        json.getBytes(StandardCharsets.UTF_8),
        false);
  }

  /** {@code status} with a body of {@code contentType}. */
  public static TestResponse bytes(int status, String contentType, byte[] body) {
    return new TestResponse(status, List.of(new Header("content-type", contentType)), body, false);
  }

  /** {@code status} with a body of {@code contentType} written as {@code body} generates it. */
  public static TestResponse streamed(int status, String contentType, TestBody body) {
    return new TestResponse(
        status, List.of(new Header("content-type", contentType)), new byte[0], false, body);
  }

  /** The body to write: the streamed one, or the array's. */
  public TestBody bodySource() {
    return stream != null ? stream : TestBody.of(body);
  }

  /** This response with one more header field. */
  public TestResponse withHeader(String name, String value) {
    List<Header> more = new ArrayList<>(headers);
    more.add(new Header(name, value));
    return new TestResponse(status, more, body, chunked, stream);
  }

  /** This response, chunked over HTTP/1.1. */
  public TestResponse asChunked() {
    return new TestResponse(status, headers, body, true, stream);
  }

  @Override
  public byte[] body() {
    return body.clone();
  }
}
