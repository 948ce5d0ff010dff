/**
 * The {@code jdk} TLS engine: the JDK's own TLS (SunJSSE) behind Guise's {@link
 * dev.guise.api.spi.TlsEngine}. It presents no browser fingerprint and says so; it needs nothing
 * beyond the JDK, serves tests that need no fingerprint, and is the fallback when no other engine
 * is installed.
 */
module dev.guise.tls.jdk {
  requires transitive dev.guise.api;
  requires dev.guise.tls.support;
  requires dev.guise.codec; // the deadline guard, on the one I/O timer

  exports dev.guise.tls.jdk;

  provides dev.guise.api.spi.TlsEngine with
      dev.guise.tls.jdk.JdkEngine;
}
