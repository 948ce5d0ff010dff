package dev.guise.tls.support;

import java.security.cert.CertificateException;

/**
 * The certificate is trusted but not valid for the requested host. A {@link CertificateException},
 * so every classification by type sees a certificate failure; its own type lets an engine answer
 * with the TLS alert that fits (BouncyCastle sends certificate_unknown for it).
 */
public final class HostNameMismatchException extends CertificateException {
  private static final long serialVersionUID = 1L;

  HostNameMismatchException(String message) {
    super(message);
  }
}
