package dev.guise.tls.bouncycastle.internal;

import dev.guise.api.TlsConnection;

/** Test access to what a BouncyCastle connection did beyond {@code NegotiatedTls}. */
public final class ConnectionFacts {
  private ConnectionFacts() {}

  /** The RFC 8879 algorithm the server's certificate came compressed with, or -1. */
  public static int certificateCompression(TlsConnection connection) {
    return ((BcTlsConnection) connection).certificateCompression();
  }

  /** Whether the handshake resumed a session with a ticket. */
  public static boolean resumed(TlsConnection connection) {
    return ((BcTlsConnection) connection).resumed();
  }
}
