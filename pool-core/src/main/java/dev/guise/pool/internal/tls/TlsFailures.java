package dev.guise.pool.internal.tls;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.PoolAction;
import dev.guise.api.TlsEndpoint;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;

/** Classifies handshake failures: certificate rejections apart from every other TLS failure. */
final class TlsFailures {
  private TlsFailures() {}

  static ClassifiedIOException classify(SSLException e, TlsEndpoint endpoint) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CertificateException || t instanceof CertPathValidatorException) {
        return new ClassifiedIOException(FailureKind.CERTIFICATE, false,
            PoolAction.DISCARD_CONNECTION,
            "certificate of " + endpoint + " rejected: " + t.getMessage(), e);
      }
    }
    return new ClassifiedIOException(FailureKind.TLS_HANDSHAKE, true,
        PoolAction.DISCARD_CONNECTION, "TLS handshake with " + endpoint + " failed: " + e.getMessage(), e);
  }
}
