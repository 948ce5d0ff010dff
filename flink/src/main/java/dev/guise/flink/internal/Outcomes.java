package dev.guise.flink.internal;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.Header;
import dev.guise.flink.FetchRequest;
import dev.guise.flink.FetchResult;
import dev.guise.pool.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Turns what a fetch ended with into a {@link FetchResult}. */
public final class Outcomes {
  private Outcomes() {}

  /** Who fetched and when: the parts of a result that do not depend on the outcome. */
  public record Context(
      FetchRequest request,
      long startedAtMillis,
      long waitedNanos,
      long fetchNanos,
      int subtask,
      int attempt) {}

  /** A response, its body inline up to {@code maxInlineBodyBytes}, else by digest. */
  public static FetchResult response(Context c, HttpResponse r, int maxInlineBodyBytes) {
    List<String> headers = new ArrayList<>(r.headers().size());
    for (Header h : r.headers()) {
      headers.add(h.name() + ": " + h.value());
    }
    byte[] body = r.body();
    boolean inline = body.length <= maxInlineBodyBytes;
    return new FetchResult(
        c.request(),
        r.status(),
        headers,
        inline ? body : null,
        body.length,
        inline ? null : "sha256:" + sha256(body),
        r.protocol().alpn(),
        r.endpoint().ip().getHostAddress(),
        r.reusedConnection(),
        c.startedAtMillis(),
        c.waitedNanos(),
        c.fetchNanos(),
        null,
        null,
        c.subtask(),
        c.attempt());
  }

  /** A failure the pool classified. */
  public static FetchResult failure(Context c, ClassifiedIOException e) {
    return failure(c, e.kind(), e.getMessage());
  }

  /** A failure of {@code kind}; {@code message} must hold no secret. */
  public static FetchResult failure(Context c, FailureKind kind, String message) {
    return new FetchResult(
        c.request(),
        0,
        List.of(),
        null,
        0,
        null,
        null,
        null,
        false,
        c.startedAtMillis(),
        c.waitedNanos(),
        c.fetchNanos(),
        kind.name(),
        message,
        c.subtask(),
        c.attempt());
  }

  private static String sha256(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
