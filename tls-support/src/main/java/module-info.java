/**
 * What every Guise TLS engine shares, written once: {@link dev.guise.tls.support.ServerTrust}
 * (certificate chains checked as a {@link dev.guise.api.TrustPolicy} says, and the host name),
 * {@link dev.guise.tls.support.HostNames} (the one RFC 6125 matcher and the SNI rules), {@link
 * dev.guise.tls.support.TlsFailures} (handshake failures as the api's failure kinds) and {@link
 * dev.guise.tls.support.SslEngineConnection} (a connection over any {@code SSLEngine}, for the
 * {@code jdk} and {@code conscrypt} engines). The deadline guard the engines use is {@code
 * dev.guise.codec.io.DeadlineGuard}, beside the one I/O timer the HTTP connections use too.
 *
 * <p>Support, not public API: the package is exported only to Guise's own engines, so it can change
 * with them. A third-party engine implements {@link dev.guise.api.spi.TlsEngine} and brings its own
 * checks (the SPI's javadoc says what they must do).
 */
module dev.guise.tls.support {
  requires transitive dev.guise.api;
  requires dev.guise.codec; // the pooled buffers and the deadline guard of SslEngineConnection

  exports dev.guise.tls.support to
      dev.guise.tls.jdk,
      dev.guise.tls.bouncycastle,
      dev.guise.tls.conscrypt;
}
