package dev.guise.tls.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.PoolAction;
import dev.guise.api.TlsEndpoint;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** Handshake failures are classified by type and cause, the same for every engine. */
class TlsFailuresTest {
  private static final TlsEndpoint ENDPOINT =
      new TlsEndpoint("www.example.test", InetAddress.getLoopbackAddress(), 443);
  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  private static ClassifiedIOException classified(IOException e) {
    return assertInstanceOf(
        ClassifiedIOException.class, TlsFailures.classify(e, ENDPOINT, TIMEOUT));
  }

  @Test
  void aCertificateExceptionAnywhereInTheCausesIsACertificateFailure() {
    // Whatever the message says: the JDK, Conscrypt and BouncyCastle all word it differently.
    var wrapped = new SSLHandshakeException("anything");
    wrapped.initCause(new IOException("wrapper", new CertificateException("x")));
    ClassifiedIOException e = classified(wrapped);
    assertEquals(FailureKind.CERTIFICATE, e.kind());
    assertFalse(e.failure().retryable());
    assertEquals(PoolAction.DISCARD_CONNECTION, e.failure().action());
    assertEquals(
        FailureKind.CERTIFICATE,
        classified(new IOException("bc alert", new CertPathValidatorException("path"))).kind());
  }

  @Test
  void aTimeoutInTheCausesIsAReadTimeout() {
    ClassifiedIOException e =
        classified(
            new SSLHandshakeException("x") {
              private static final long serialVersionUID = 1L;

              @Override
              public synchronized Throwable getCause() {
                return new SocketTimeoutException("Read timed out");
              }
            });
    assertEquals(FailureKind.READ_TIMEOUT, e.kind());
    assertTrue(e.failure().retryable());
    assertEquals(FailureKind.READ_TIMEOUT, classified(new SocketTimeoutException()).kind());
  }

  @Test
  void otherTlsFailuresAreHandshakeFailuresAndPlainIoStaysPlain() {
    ClassifiedIOException e = classified(new SSLHandshakeException("no common cipher"));
    assertEquals(FailureKind.TLS_HANDSHAKE, e.kind());
    assertTrue(e.failure().retryable());
    EOFException eof = new EOFException();
    assertSame(eof, TlsFailures.classify(eof, ENDPOINT, TIMEOUT));
    InterruptedIOException interrupted = new InterruptedIOException();
    assertSame(interrupted, TlsFailures.classify(interrupted, ENDPOINT, TIMEOUT));
    ClassifiedIOException already = TlsFailures.handshakeFailed(ENDPOINT, "alert", null);
    assertSame(already, TlsFailures.classify(already, ENDPOINT, TIMEOUT));
  }

  @Test
  void aFiredDeadlineIsAReadTimeoutWhateverTheClosedSocketThrew() {
    // The guard closed the socket under a blocked read: the read fails with "Socket closed".
    IOException closed = new SocketException("Socket closed");
    ClassifiedIOException e =
        assertInstanceOf(
            ClassifiedIOException.class,
            TlsFailures.handshakeFailure(closed, ENDPOINT, TIMEOUT, true));
    assertEquals(FailureKind.READ_TIMEOUT, e.kind());
    assertSame(closed, TlsFailures.handshakeFailure(closed, ENDPOINT, TIMEOUT, false));
    IllegalStateException bug = new IllegalStateException("engine bug");
    assertSame(
        bug,
        assertThrows(
            IllegalStateException.class,
            () -> TlsFailures.handshakeFailure(bug, ENDPOINT, TIMEOUT, false)));
  }
}
