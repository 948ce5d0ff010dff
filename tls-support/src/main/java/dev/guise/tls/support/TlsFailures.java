package dev.guise.tls.support;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.PoolAction;
import dev.guise.api.TlsEndpoint;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Handshake failures as the api's failure kinds, decided by exception type and cause chain (never
 * by message text, which changes with every JDK and library release), so every engine reports the
 * same failure the same way, as {@link dev.guise.api.spi.TlsEngine#connect} promises:
 *
 * <ul>
 *   <li>{@code CERTIFICATE}, not retryable: a {@link CertificateException} or {@link
 *       CertPathValidatorException} anywhere in the causes. The site's misconfiguration (or an
 *       attack on the path), not a block of this IP: the connection goes, the IP keeps its
 *       standing, and retrying cannot change the certificate.
 *   <li>{@code READ_TIMEOUT}, retryable: the handshake outlasted its timeout (a {@link
 *       SocketTimeoutException} in the causes, or the engine's deadline guard fired).
 *   <li>{@code TLS_HANDSHAKE}, retryable: any other TLS failure ({@link SSLException}, or an
 *       engine's own TLS exception the engine maps with {@link #handshakeFailed}).
 *   <li>anything else (a reset, an end of stream) stays a plain {@link IOException}, for the pool's
 *       classifier to place like any other I/O failure.
 * </ul>
 */
public final class TlsFailures {
  private TlsFailures() {}

  /** The certificate rejection in {@code e}'s causes (itself included), if there is one. */
  public static Optional<Throwable> certificateFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CertificateException || t instanceof CertPathValidatorException) {
        return Optional.of(t);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return Optional.empty();
  }

  /**
   * The failure of a handshake that threw {@code e}, classified as above.
   *
   * @param timeout the handshake's timeout, for the message
   */
  public static IOException classify(IOException e, TlsEndpoint endpoint, Duration timeout) {
    if (e instanceof ClassifiedIOException) {
      return e;
    }
    Optional<Throwable> certificate = certificateFailure(e);
    if (certificate.isPresent()) {
      return certificateRejected(endpoint, certificate.get().getMessage(), e);
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SocketTimeoutException) {
        return timedOut(endpoint, timeout, e);
      }
      if (t instanceof InterruptedIOException) {
        // the caller's thread was interrupted: not the peer's doing
        return (InterruptedIOException) t;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    if (e instanceof SSLException) {
      return handshakeFailed(endpoint, e.getMessage(), e);
    }
    return e;
  }

  /**
   * What a handshake that threw {@code e} reports: {@code READ_TIMEOUT} when the engine's deadline
   * guard fired (whatever the blocked operation threw when its socket was closed under it), else
   * {@link #classify}. A runtime exception not caused by the deadline is the engine's own bug and
   * is rethrown unchanged.
   */
  public static IOException handshakeFailure(
      Exception e, TlsEndpoint endpoint, Duration timeout, boolean deadlinePassed) {
    if (deadlinePassed) {
      return timedOut(endpoint, timeout, e);
    }
    if (e instanceof IOException io) {
      return classify(io, endpoint, timeout);
    }
    if (e instanceof RuntimeException runtime) {
      throw runtime;
    }
    return new IOException(e);
  }

  /** The server's certificate was rejected: {@code CERTIFICATE}, never retried. */
  public static ClassifiedIOException certificateRejected(
      TlsEndpoint endpoint, String reason, Throwable cause) {
    return new ClassifiedIOException(
        FailureKind.CERTIFICATE,
        false,
        PoolAction.DISCARD_CONNECTION,
        "certificate of " + endpoint + " rejected: " + reason,
        cause);
  }

  /** The handshake outlasted {@code timeout}: {@code READ_TIMEOUT}, retryable. */
  public static ClassifiedIOException timedOut(
      TlsEndpoint endpoint, Duration timeout, Throwable cause) {
    return new ClassifiedIOException(
        FailureKind.READ_TIMEOUT,
        true,
        PoolAction.DISCARD_CONNECTION,
        "TLS handshake with " + endpoint + " took longer than " + timeout.toMillis() + " ms",
        cause);
  }

  /** Any other TLS failure of the handshake: {@code TLS_HANDSHAKE}, retryable. */
  public static ClassifiedIOException handshakeFailed(
      TlsEndpoint endpoint, String detail, Throwable cause) {
    return new ClassifiedIOException(
        FailureKind.TLS_HANDSHAKE,
        true,
        PoolAction.DISCARD_CONNECTION,
        "TLS handshake with " + endpoint + " failed: " + detail,
        cause);
  }
}
