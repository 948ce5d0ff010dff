package dev.guise.pool;

import dev.guise.api.ClassifiedFailure;
import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.PoolAction;
import dev.guise.api.RetryContext;
import dev.guise.api.RetryDecision;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.http.HttpResponse;
import dev.guise.pool.http.StreamedResponse;
import dev.guise.pool.internal.HostKey;
import dev.guise.pool.internal.HostTimeouts;
import dev.guise.pool.internal.RetryTokens;
import dev.guise.pool.proxy.Proxy;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Sends requests through a {@link HotConnectionPool}, retrying what can be retried.
 *
 * <p>Each request has one deadline covering all its attempts: the request's timeout, or the pool's
 * {@code timeouts().request()}. An attempt that fails is classified by the pool's classifier chain;
 * it is retried when
 *
 * <ul>
 *   <li>the failure is retryable, and
 *   <li>a retry is safe: the request is idempotent, or the server provably did not process it (it
 *       failed before it was sent: connecting, TLS, a full pool; or the server said so: GOAWAY
 *       above the stream, REFUSED_STREAM), and
 *   <li>the retry policy agrees (it sees the attempt number, the failure with its Retry-After and
 *       the time left), and
 *   <li>the pool's retry budget has a token (so an outage cannot turn into a retry storm).
 * </ul>
 *
 * A retry never goes to the connection that failed: it takes another one or opens a fresh one; a
 * request whose IP the pool chooses usually lands on another IP, and never on a banned one.
 *
 * <p>A failure response (a block page, a rate limit) that is not retried is returned as a response
 * only if the classifier accepted it; otherwise the request fails with {@link
 * RequestFailedException}, which carries every attempt's failure.
 *
 * <p>Thread-safe. {@link #sendAsync} runs on virtual threads the client owns; {@link #close()}
 * stops them (the pool stays open: it is the caller's).
 */
public final class GuiseClient implements AutoCloseable {
  private final HotConnectionPool pool;
  private final RetryTokens budget;
  private final ExecutorService async =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("guise-client-", 0).factory());

  public GuiseClient(HotConnectionPool pool) {
    this.pool = pool;
    this.budget =
        new RetryTokens(
            pool.config().retryBudget().ratio(),
            pool.config().retryBudget().minPerSecond(),
            System.nanoTime());
  }

  /**
   * Sends {@code request} to an IP the pool chooses; blocks until it ends or its deadline passes.
   */
  public HttpResponse send(HttpRequest request) throws IOException {
    return send(request, null);
  }

  /**
   * Sends {@code request} pinned to {@code ip} (null lets the pool choose). Retries stay on that
   * IP, over another connection.
   */
  public HttpResponse send(HttpRequest request, InetAddress ip) throws IOException {
    return send(request, ip, null);
  }

  /**
   * Sends {@code request} pinned to {@code ip} (null lets the pool choose) through {@code proxy}
   * (null: as the pool's proxy routing says, or directly without one). Every attempt, retries too,
   * goes through this proxy: it is the request's own, and never replaced by a direct connection.
   *
   * <p>Through the routing's proxies, a retry after a failed attempt goes through another proxy
   * whenever one is usable.
   */
  public HttpResponse send(HttpRequest request, InetAddress ip, Proxy proxy) throws IOException {
    return send(
        request,
        ip,
        proxy,
        (lease, deadline) -> {
          ConnectionLease.Outcome o = lease.exchange(request, deadline);
          return new Attempt<>(o.response(), o.failure(), false);
        });
  }

  /**
   * Sends {@code request} to an IP the pool chooses and returns as soon as the response head has
   * arrived; the body is read from the returned response as it arrives. See {@link
   * #sendStreaming(HttpRequest, InetAddress)}.
   */
  public StreamedResponse sendStreaming(HttpRequest request) throws IOException {
    return sendStreaming(request, null);
  }

  /**
   * Sends {@code request} pinned to {@code ip} (null lets the pool choose) and returns as soon as
   * the response head has arrived, for bodies too large to buffer. The caller must close the
   * response: it holds its connection (HTTP/1.1) or stream (HTTP/2) until then.
   *
   * <p>Retries are as {@link #send}'s up to the head: a failure before it, or a head the classifier
   * rejects, is retried by the same rules (a rejected head's body is closed unread). Once a head is
   * returned the request is never retried: a failure while reading the body (a stall past the read
   * timeout, a reset, a body over the size limit) is thrown by the body's read, classified, and the
   * pool acts on it, but the caller already holds part of the body, so only it can decide to send
   * again.
   *
   * <p>Deadlines: the request's timeout (or the pool's {@code timeouts().request()}) bounds the
   * attempts up to the head, as for {@link #send}; the body has no overall deadline (a large body
   * may take long), but each of its reads waits at most that timeout for the server's next bytes.
   */
  public StreamedResponse sendStreaming(HttpRequest request, InetAddress ip) throws IOException {
    Duration readTimeout = request.timeout().orElse(pool.config().timeouts().request());
    return send(
        request,
        ip,
        null,
        (lease, deadline) -> {
          ConnectionLease.StreamedOutcome o =
              lease.exchangeStreaming(request, deadline, readTimeout);
          // A rejected head's body is closed with its lease, before any retry.
          return new Attempt<>(o.response(), o.failure(), o.failure() == null);
        });
  }

  /**
   * One attempt's result.
   *
   * @param holdsLease the response holds the lease (a streamed body): the loop must not close it
   */
  private record Attempt<T>(T response, ClassifiedFailure failure, boolean holdsLease) {}

  /** One attempt over a lease; the loop owns the lease. */
  @FunctionalInterface
  private interface Exchange<T> {
    Attempt<T> run(ConnectionLease lease, long deadlineNanos) throws ClassifiedIOException;
  }

  /** The attempt loop, whatever the response's form. */
  private <T> T send(HttpRequest request, InetAddress ip, Proxy proxy, Exchange<T> exchange)
      throws IOException {
    HostKey key = HotConnectionPool.key(request.uri());
    HostTimeouts timeouts = pool.hostTimeouts();
    Duration timeout = request.timeout().orElseGet(() -> timeouts.request(key.host()));
    long started = System.nanoTime();
    long deadline = started + timeout.toNanos();
    List<ClassifiedFailure> failures = new ArrayList<>();
    long avoid = -1;
    Set<Proxy> failedThrough = new HashSet<>(2);
    for (int attempt = 1; ; attempt++) {
      ClassifiedFailure failure;
      boolean sent = false;
      ConnectionLease lease = null;
      try {
        lease =
            pool.lease(
                key, ip, proxy, request.identity().orElse(null), failedThrough, avoid, deadline);
        avoid = lease.connectionId();
        sent = true;
        Attempt<T> outcome = exchange.run(lease, deadline);
        timeouts.record(key.host(), outcome.failure() != null);
        if (outcome.failure() == null) {
          if (outcome.holdsLease()) {
            lease = null; // the response gives it back when its body ends
          } else {
            lease.close();
          }
          budget.recordSuccess();
          pool.counters().requestEnded(key.host(), attempt, null, since(started));
          return outcome.response();
        }
        failure = outcome.failure();
        lease.proxy().ifPresent(failedThrough::add);
      } catch (ClassifiedIOException e) {
        failure = e.failure();
        if (countsForTimeouts(failure.kind())) {
          timeouts.record(key.host(), true);
        }
        if (!sent) {
          pool.counters().attemptFailed(null, request.method(), failure);
        }
      } finally {
        if (lease != null) {
          lease.close();
        }
      }
      failures.add(failure);
      String stop = whyNotRetry(request, failure, sent, attempt, deadline);
      if (stop != null) {
        pool.counters().requestEnded(key.host(), attempt, failure, since(started));
        throw new RequestFailedException(failures, stop);
      }
      RetryDecision decision =
          pool.config()
              .retryPolicy()
              .decide(
                  new RetryContext(
                      attempt,
                      failure,
                      Duration.ofNanos(deadline - System.nanoTime()),
                      request.isIdempotent()));
      if (decision instanceof RetryDecision.GiveUp(String reason)) {
        pool.counters().requestEnded(key.host(), attempt, failure, since(started));
        throw new RequestFailedException(failures, reason);
      }
      if (!budget.tryRetry(System.nanoTime())) {
        pool.counters().requestEnded(key.host(), attempt, failure, since(started));
        throw new RequestFailedException(failures, "the pool's retry budget is spent");
      }
      Duration delay = ((RetryDecision.Retry) decision).delay();
      pool.counters().retrying(key.host(), attempt, failure, delay);
      InterruptedException interrupted = sleep(delay);
      if (interrupted != null) {
        ClassifiedFailure cancelled =
            ClassifiedFailure.of(
                FailureKind.CANCELLED,
                false,
                PoolAction.KEEP,
                "interrupted while waiting to retry",
                interrupted);
        failures.add(cancelled);
        pool.counters().requestEnded(key.host(), attempt, cancelled, since(started));
        throw new RequestFailedException(failures, "interrupted");
      }
    }
  }

  /**
   * Whether a failure to lease or exchange says something about the host (a refused or slow
   * connection, a reset), not about this pool's own limits or the caller.
   */
  private static boolean countsForTimeouts(FailureKind kind) {
    return switch (kind) {
      case POOL_EXHAUSTED, DEADLINE_EXCEEDED, CANCELLED, INVALID_REQUEST, IP_BLOCKED -> false;
      default -> true;
    };
  }

  private static Duration since(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }

  /** Why {@code failure} ends the request, or null when a retry may be considered. */
  private static String whyNotRetry(
      HttpRequest request, ClassifiedFailure failure, boolean sent, int attempt, long deadline) {
    if (!failure.retryable()) {
      return "not retryable";
    }
    boolean notProcessed = !sent || failure.kind() == FailureKind.NOT_PROCESSED;
    if (!request.isIdempotent() && !notProcessed) {
      return request.method() + " is not idempotent and the server may have processed it";
    }
    if (deadline - System.nanoTime() <= 0) {
      return "the request's deadline passed";
    }
    return null;
  }

  /** Waits {@code delay}; returns the interruption that cut it short (flag set again), or null. */
  private static InterruptedException sleep(Duration delay) {
    if (delay.isZero()) {
      return null;
    }
    try {
      TimeUnit.NANOSECONDS.sleep(delay.toNanos());
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return e;
    }
  }

  /**
   * Sends on a virtual thread of this client. The future completes with the response, or
   * exceptionally with a {@link RequestFailedException} (unwrapped, not in a CompletionException).
   * Cancelling the future interrupts the request.
   */
  public CompletableFuture<HttpResponse> sendAsync(HttpRequest request) {
    CompletableFuture<HttpResponse> result = new CompletableFuture<>();
    var task =
        async.submit(
            () -> {
              try {
                result.complete(send(request));
              } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e instanceof CompletionException c ? c.getCause() : e);
              }
            });
    result.whenComplete(
        (r, e) -> {
          if (result.isCancelled()) {
            task.cancel(true);
          }
        });
    return result;
  }

  /**
   * Closes the pool's connections of {@code identity} ({@link HttpRequest.Builder#identity}); see
   * {@link HotConnectionPool#closeIdentity}.
   */
  public void closeIdentity(String identity) {
    pool.closeIdentity(identity);
  }

  /** Whether the client's async (virtual) threads have all ended, after {@link #close()}. */
  boolean isTerminated() {
    return async.isTerminated();
  }

  /** Stops the client's async threads; requests in flight on them are interrupted. */
  @Override
  public void close() {
    async.shutdownNow();
    try {
      async.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
