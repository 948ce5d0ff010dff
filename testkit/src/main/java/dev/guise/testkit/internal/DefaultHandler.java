package dev.guise.testkit.internal;

import dev.guise.testkit.RequestHandler;
import dev.guise.testkit.TestRequest;
import dev.guise.testkit.TestResponse;

/** The routes of {@link RequestHandler#defaults()}. Stateless. */
public final class DefaultHandler implements RequestHandler {
  public static final DefaultHandler INSTANCE = new DefaultHandler();

  private static final int MAX_BYTES = 64 * 1024 * 1024;
  private static final long MAX_SLOW_MILLIS = 60_000;

  private DefaultHandler() {}

  @Override
  public TestResponse handle(TestRequest request) throws InterruptedException {
    String path = request.path();
    if (path.equals("/fingerprint") || path.startsWith("/fingerprint/")) {
      return TestResponse.json(200, FingerprintJson.fingerprint(request));
    }
    if (path.equals("/headers")) {
      return TestResponse.json(200, FingerprintJson.headers(request));
    }
    if (path.startsWith("/bytes/")) {
      Integer n = number(path.substring("/bytes/".length()), MAX_BYTES);
      if (n == null) {
        return TestResponse.text(400, "bad byte count (0.." + MAX_BYTES + ")\n");
      }
      byte[] body = new byte[n];
      for (int i = 0; i < n; i++) {
        body[i] = (byte) ('a' + i % 26);
      }
      return TestResponse.bytes(200, "application/octet-stream", body);
    }
    if (path.startsWith("/status/")) {
      Integer status = number(path.substring("/status/".length()), 999);
      if (status == null || status < 100) {
        return TestResponse.text(400, "bad status\n");
      }
      return TestResponse.text(status, "status " + status + "\n");
    }
    if (path.startsWith("/slow/")) {
      Integer ms = number(path.substring("/slow/".length()), (int) MAX_SLOW_MILLIS);
      if (ms == null) {
        return TestResponse.text(400, "bad delay (0.." + MAX_SLOW_MILLIS + " ms)\n");
      }
      Thread.sleep(ms);
      return TestResponse.ok("slept " + ms + " ms\n");
    }
    return TestResponse.ok("ok\n");
  }

  private static Integer number(String s, int max) {
    if (s.isEmpty() || s.length() > 9) {
      return null;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return null;
      }
    }
    int n = Integer.parseInt(s);
    return n > max ? null : n;
  }
}
