package dev.guise.pool.internal.http2;

import dev.guise.api.ClassifiedIOException;
import dev.guise.codec.http2.Http2ErrorCode;
import dev.guise.pool.internal.exchange.HttpFailures;
import java.io.IOException;

/**
 * A connection error the reader found in what the server sent: the connection answers with GOAWAY
 * carrying {@link #code} and fails every exchange with {@link #failure}.
 */
final class Http2ConnectionError extends IOException {
  private static final long serialVersionUID = 1L;
  final transient Http2ErrorCode code;
  final transient ClassifiedIOException failure;

  Http2ConnectionError(Http2ErrorCode code, String message) {
    this(code, HttpFailures.protocol("HTTP/2 " + code + ": " + message));
  }

  Http2ConnectionError(Http2ErrorCode code, ClassifiedIOException failure) {
    super(failure.getMessage(), failure);
    this.code = code;
    this.failure = failure;
  }
}
