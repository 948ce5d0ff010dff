/**
 * The {@code bouncycastle} TLS engine: browser-exact ClientHellos (Chrome 156, Firefox 153, or a
 * captured hello) on stock BouncyCastle bctls.
 *
 * <p>Needs, on the module path, {@code --add-opens
 * org.bouncycastle.tls/org.bouncycastle.tls=dev.guise.tls.bouncycastle}: see {@link
 * dev.guise.tls.bouncycastle.BouncyCastleEngine}.
 */
module dev.guise.tls.bouncycastle {
  requires dev.guise.api;
  requires dev.guise.fingerprint;
  requires org.bouncycastle.tls;
  requires org.bouncycastle.provider;
  requires org.bouncycastle.util;
  requires dev.guise.codec; // RFC 8879 certificate decompression, the deadline guard
  requires dev.guise.tls.support;
  // Optional: with Conscrypt resolved, the client's X25519 is BoringSSL's (faster).
  requires static org.conscrypt;

  exports dev.guise.tls.bouncycastle;

  provides dev.guise.api.spi.TlsEngine with
      dev.guise.tls.bouncycastle.BouncyCastleEngine;
}
