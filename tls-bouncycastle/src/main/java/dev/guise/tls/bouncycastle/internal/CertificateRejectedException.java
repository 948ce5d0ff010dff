package dev.guise.tls.bouncycastle.internal;

import java.io.IOException;

/** The server's certificate was rejected; carries the TLS alert the client sends for it. */
final class CertificateRejectedException extends IOException {
  private static final long serialVersionUID = 1L;

  private final short alert;

  CertificateRejectedException(short alert, String message, Throwable cause) {
    super(message, cause);
    this.alert = alert;
  }

  short alert() {
    return alert;
  }
}
