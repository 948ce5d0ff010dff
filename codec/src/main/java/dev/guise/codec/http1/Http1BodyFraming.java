package dev.guise.codec.http1;

/** How the end of an HTTP/1.1 message body is found (RFC 9112 section 6.3). */
public enum Http1BodyFraming {
  /** No body (HEAD responses, 1xx, 204, 304, requests without Content-Length or chunking). */
  NONE,
  /** Exactly Content-Length bytes; the connection can be reused after them. */
  CONTENT_LENGTH,
  /** Transfer-Encoding: chunked; the connection can be reused after the last chunk and trailers. */
  CHUNKED,
  /** Everything until the peer closes; the connection cannot be reused. */
  CLOSE_DELIMITED
}
