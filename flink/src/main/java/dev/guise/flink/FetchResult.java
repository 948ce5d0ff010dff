package dev.guise.flink;

import java.io.Serializable;
import java.util.List;

/**
 * What fetching one {@link FetchRequest} gave: a response (any status) or a classified failure.
 *
 * <p>A body up to {@link GuiseFetchConfig#maxInlineBodyBytes()} is carried inline; a larger one is
 * left out and referred to by its {@code sha256:} digest, so that results stay small in Flink's
 * network buffers and checkpoints (a job that needs large bodies stores them from a function of its
 * own, or raises the limit).
 *
 * @param request the request, unchanged
 * @param status the HTTP status, or 0 when the fetch failed
 * @param headers the response headers in wire order, each as {@code name: value}; empty on failure
 * @param body the body when inline, else null
 * @param bodyLength the body's length in bytes (0 on failure)
 * @param bodyRef {@code sha256:<hex>} of the body when it is not inline, else null
 * @param protocol {@code h2} or {@code http/1.1}, or null on failure
 * @param ip the IP that answered, or null on failure
 * @param reusedConnection whether the response came over a connection already used before
 * @param startedAtMillis when the fetch was handed to the function (epoch milliseconds)
 * @param waitedNanos time spent waiting for the host's rate limit
 * @param fetchNanos time from sending to the complete response or the failure, retries included
 * @param failureKind the {@code FailureKind} name when the fetch failed, else null
 * @param failureMessage what went wrong, without secrets, or null
 * @param subtask the index of the Flink subtask that fetched it
 * @param attempt the attempt number of that subtask (0 before any restore)
 */
public record FetchResult(
    FetchRequest request,
    int status,
    List<String> headers,
    byte[] body,
    long bodyLength,
    String bodyRef,
    String protocol,
    String ip,
    boolean reusedConnection,
    long startedAtMillis,
    long waitedNanos,
    long fetchNanos,
    String failureKind,
    String failureMessage,
    int subtask,
    int attempt)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Whether a response came back (whatever its status). */
  public boolean ok() {
    return failureKind == null;
  }

  /** A short line for logs: never the body or header values (they may carry cookies). */
  @Override
  public String toString() {
    return "FetchResult["
        + (request == null ? null : request.url())
        + (ok() ? " " + status : " " + failureKind)
        + " subtask "
        + subtask
        + "]";
  }
}
