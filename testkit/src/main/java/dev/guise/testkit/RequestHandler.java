package dev.guise.testkit;

import dev.guise.testkit.internal.DefaultHandler;

/**
 * Answers one request of a {@link TestServer}.
 *
 * <p>Called on the connection's (HTTP/1.1) or the stream's (HTTP/2) own virtual thread, possibly
 * concurrently for different requests; it may block (the server interrupts it when it stops). An
 * exception becomes a 500 response.
 */
@FunctionalInterface
public interface RequestHandler {
  TestResponse handle(TestRequest request) throws Exception;

  /**
   * The default routes, in the spirit of public echo services:
   *
   * <ul>
   *   <li>{@code /fingerprint} and anything under it: the connection's fingerprints as JSON (see
   *       {@link TestServer} for the shape);
   *   <li>{@code /headers}: the request's header list in wire order as JSON;
   *   <li>{@code /bytes/N}: N bytes (at most 64 MiB) of a fixed pattern, {@code
   *       application/octet-stream};
   *   <li>{@code /stream/N}: N bytes (at most 64 GiB) of {@link TestBody#generated}, made as they
   *       are written; {@code ?chunked} (HTTP/1.1 chunked), {@code ?nolength} (no content-length),
   *       {@code ?stall-at=K&stall-ms=M} (quiet for M ms once about K bytes are out);
   *   <li>{@code /status/N}: status N with a short text body;
   *   <li>{@code /slow/MS}: 200 after sleeping MS milliseconds (at most 60 s);
   *   <li>anything else: 200 {@code ok}.
   * </ul>
   */
  static RequestHandler defaults() {
    return DefaultHandler.INSTANCE;
  }
}
