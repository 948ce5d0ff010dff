package dev.guise.pool;

import dev.guise.api.ClassifiedFailure;
import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.Header;
import dev.guise.api.HttpProtocol;
import dev.guise.api.NegotiatedTls;
import dev.guise.api.PoolAction;
import dev.guise.api.ResponseInfo;
import dev.guise.api.TlsEndpoint;
import dev.guise.api.spi.FailureClassifier.ResponseVerdict;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.http.HttpResponse;
import dev.guise.pool.http.StreamedResponse;
import dev.guise.pool.internal.HostKey;
import dev.guise.pool.internal.Loan;
import dev.guise.pool.internal.exchange.HttpConnection.ExchangeLimits;
import dev.guise.pool.internal.exchange.HttpConnection.StreamedBody;
import dev.guise.pool.proxy.Proxy;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A connection lent by a {@link HotConnectionPool}: an HTTP/1.1 connection for this lease alone, or
 * one stream's share of an HTTP/2 connection. Send requests with {@link #send}; give it back with
 * {@link #close()} (try-with-resources), which returns a healthy connection to the pool and closes
 * one that failed.
 *
 * <p>Not thread-safe: one thread uses a lease at a time. {@link #send} classifies what it gets: a
 * failure response (a block page, a rate limit) is still returned, but the pool acts on it (bans
 * the IP, retires the connection) as the classifier says. Retries are {@link GuiseClient}'s job.
 */
public final class ConnectionLease implements AutoCloseable {
  private final HotConnectionPool pool;
  private final Loan lease;
  private final HostKey host;
  private PoolAction worst = PoolAction.KEEP;
  private boolean failed;
  private boolean closed;
  private boolean usedOnce;

  /** The body of a streamed response still being read; it holds the lease until it ends. */
  private InputStream openBody;

  ConnectionLease(HotConnectionPool pool, Loan lease, HostKey host) {
    this.pool = pool;
    this.lease = lease;
    this.host = host;
  }

  /** The proxy the connection goes through, if any (its password never printed). */
  public Optional<Proxy> proxy() {
    return Optional.ofNullable(lease.route().proxy());
  }

  /** Host, pinned IP and port. */
  public TlsEndpoint endpoint() {
    return lease.endpoint();
  }

  public HttpProtocol protocol() {
    return lease.http().protocol();
  }

  /** What the handshake agreed on, including the profile presented and its fidelity. */
  public NegotiatedTls tls() {
    return lease.http().tls();
  }

  /** The fingerprint profile the connection presents. */
  public String profile() {
    return lease.profile();
  }

  /**
   * Whether the connection had been used (an exchange or a validation) before this lease. The
   * pool's own record of the lease (an internal {@code Loan}) answers it.
   */
  public boolean reused() {
    return lease.reused();
  }

  long connectionId() {
    return lease.connectionId();
  }

  /**
   * Sends one request over this connection and reads the whole response, within the request's
   * timeout (or the pool's default).
   *
   * @throws ClassifiedIOException classified; the pool has already acted on it (the connection will
   *     be closed on {@link #close()}, the IP penalised or banned where the failure says so)
   */
  public HttpResponse send(HttpRequest request) throws IOException {
    Duration timeout = request.timeout().orElse(pool.config().timeouts().request());
    return exchange(request, System.nanoTime() + timeout.toNanos()).response;
  }

  /** A response, and its failure classification when the classifier judged it one. */
  record Outcome(HttpResponse response, ClassifiedFailure failure) {}

  Outcome exchange(HttpRequest request, long deadlineNanos) throws ClassifiedIOException {
    checkSendable(request);
    boolean reused = lease.reused() || usedOnce;
    usedOnce = true;
    long started = System.nanoTime();
    HttpResponse raw;
    try {
      raw = lease.http().exchange(request, limits(), deadlineNanos);
    } catch (IOException | RuntimeException e) {
      throw failed(request, e);
    }
    HttpResponse response =
        new HttpResponse(
            raw.status(),
            raw.headers(),
            raw.body(),
            raw.trailers(),
            raw.protocol(),
            endpoint(),
            profile(),
            reused);
    return new Outcome(
        response, judge(request, response.status(), response.headers(), reused, started));
  }

  /**
   * Counts an answered attempt and asks the classifier about its head: the failure it names (the
   * lease already failed with it), or null after recording the route's success.
   */
  private ClassifiedFailure judge(
      HttpRequest request, int status, List<Header> headers, boolean reused, long started) {
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    ClassifiedFailure f = judgeHead(status, headers);
    if (f != null) {
      pool.counters().attemptAnswered(endpoint(), request.method(), status, reused, took);
      pool.counters().attemptFailed(endpoint(), request.method(), f);
      return f;
    }
    succeeded(request.method(), status, reused, took);
    return null;
  }

  /** The classifier's failure for a response head (the lease already failed with it), or null. */
  private ClassifiedFailure judgeHead(int status, List<Header> headers) {
    ResponseVerdict verdict =
        pool.config().classifier().classify(new ResponseInfo(status, headers, endpoint()));
    if (verdict instanceof ResponseVerdict.Fail(ClassifiedFailure f)) {
      fail(f);
      return f;
    }
    return null;
  }

  /** Counts an answered attempt and records the route's success. */
  private void succeeded(String method, int status, boolean reused, Duration took) {
    pool.counters().attemptAnswered(endpoint(), method, status, reused, took);
    pool.succeeded(lease.route());
  }

  /** A streamed response, and its failure classification when the classifier judged it one. */
  record StreamedOutcome(StreamedResponse response, ClassifiedFailure failure) {}

  /**
   * Sends one request and returns at its response head; the body, read by the caller, holds this
   * lease until it ends, and then closes it (a failure of the body is classified and acted on
   * first, as a failed exchange's). Closing the lease closes an open body.
   *
   * @param deadlineNanos bounds sending and the wait for the head
   * @param readTimeout bounds each read of the body
   */
  StreamedOutcome exchangeStreaming(HttpRequest request, long deadlineNanos, Duration readTimeout)
      throws ClassifiedIOException {
    checkSendable(request);
    if (openBody != null) {
      throw new IllegalStateException("the lease's streamed body is still open");
    }
    boolean reused = lease.reused() || usedOnce;
    usedOnce = true;
    long started = System.nanoTime();
    StreamedAttempt attempt = new StreamedAttempt(request.method());
    StreamedBody raw;
    try {
      raw =
          lease
              .http()
              .exchangeStreaming(
                  request,
                  limits(),
                  deadlineNanos,
                  readTimeout,
                  failure -> bodyEnded(attempt, failure));
    } catch (IOException | RuntimeException e) {
      throw failed(request, e);
    }
    openBody = raw.body();
    StreamedResponse response =
        new StreamedResponse(
            raw.status(),
            raw.headers(),
            raw.body(),
            raw.trailers(),
            protocol(),
            endpoint(),
            profile(),
            reused);
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    ClassifiedFailure headFailure = judgeHead(response.status(), response.headers());
    if (headFailure != null) {
      pool.counters()
          .attemptAnswered(endpoint(), request.method(), response.status(), reused, took);
      pool.counters().attemptFailed(endpoint(), request.method(), headFailure);
    } else {
      // A streamed request succeeds when its body ends, not at its head: a body that breaks off
      // is a failure of the attempt, and the route's record must say so.
      attempt.headFine(response.status(), reused, took);
    }
    return new StreamedOutcome(response, headFailure);
  }

  /**
   * A streamed attempt whose success is counted when both its head was judged fine and its body
   * ended without failure, in whichever order they come (an empty body can end before the head is
   * judged). A head judged a failure is counted at once and never here.
   */
  private final class StreamedAttempt {
    private final String method;
    private int status;
    private boolean reused;
    private Duration took;
    private boolean judged;
    private boolean endedClean;

    StreamedAttempt(String method) {
      this.method = method;
    }

    void headFine(int status, boolean reused, Duration took) {
      synchronized (this) {
        this.status = status;
        this.reused = reused;
        this.took = took;
        judged = true;
        if (!endedClean) {
          return;
        }
      }
      succeeded(method, status, reused, took);
    }

    void endedClean() {
      synchronized (this) {
        endedClean = true;
        if (!judged) {
          return;
        }
      }
      succeeded(method, status, reused, took);
    }
  }

  /**
   * The streamed body ended (on the thread that read or closed it): a body read to its end (or
   * closed early by the caller) counts the attempt's success, one that broke off its failure; the
   * lease ends with it.
   */
  private void bodyEnded(StreamedAttempt attempt, IOException failure) {
    openBody = null;
    if (failure != null) {
      ClassifiedFailure f = pool.classify(failure, endpoint());
      fail(f);
      pool.counters().attemptFailed(endpoint(), attempt.method, f);
    } else {
      attempt.endedClean();
    }
    close();
  }

  private void checkSendable(HttpRequest request) throws ClassifiedIOException {
    if (closed) {
      throw new IllegalStateException("the lease was closed");
    }
    if (!request.host().equalsIgnoreCase(host.host()) || request.port() != host.port()) {
      throw new ClassifiedIOException(
          FailureKind.INVALID_REQUEST,
          false,
          PoolAction.KEEP,
          "request for " + request.host() + ":" + request.port() + " on a connection to " + host,
          null);
    }
  }

  private ExchangeLimits limits() {
    return new ExchangeLimits(
        pool.config().limits().maxHeaderListSize(),
        pool.config().limits().maxResponseBodyBytes(),
        false);
  }

  /** Classifies a failed exchange and acts on it; returns what the caller throws. */
  private ClassifiedIOException failed(HttpRequest request, Exception e) {
    ClassifiedFailure f = pool.classify(e, endpoint());
    fail(f);
    pool.counters().attemptFailed(endpoint(), request.method(), f);
    return e instanceof ClassifiedIOException c && c.failure() == f
        ? c
        : new ClassifiedIOException(f);
  }

  private void fail(ClassifiedFailure f) {
    failed = true;
    if (f.action().compareTo(worst) > 0) {
      worst = f.action();
    }
    pool.applyIpAction(lease.route(), f);
  }

  /** Returns the connection to the pool (or closes it, after a failure that calls for it). */
  @Override
  public void close() {
    InputStream body = openBody;
    if (body != null) {
      // Closing the body ends the exchange, and the body's end closes this lease (bodyEnded).
      openBody = null;
      try {
        body.close();
      } catch (IOException ignored) {
        // the body's close deals with its connection itself; nothing more to do here
      }
    }
    if (closed) {
      return;
    }
    closed = true;
    Proxy proxy = lease.route().proxy();
    if (proxy != null && proxy.newTunnelPerRequest() && worst == PoolAction.KEEP) {
      worst = PoolAction.DISCARD_CONNECTION; // a rotating proxy's tunnel serves one request
    }
    pool.release(lease, worst, !failed);
  }
}
