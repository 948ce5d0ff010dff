/**
 * Guise's loopback peer: an HTTPS server with fingerprint capture and fault injection, and a
 * throw-away certificate authority. Tests of every module run against it, and so does the {@code
 * guise demo} command (module {@code dev.guise.cli}), which shows the pool working on a machine
 * with no network; no library module (api, codec, the pool, the engines) depends on it. Support
 * that only tests need (captures, clocks, TLS peers) is in {@code testing-support}.
 *
 * <p>{@link dev.guise.testkit.TestServer} speaks HTTP/1.1 and HTTP/2 on many loopback addresses and
 * records each client's ClientHello (JA3/JA4) and HTTP/2 frames (Akamai fingerprint); its {@link
 * dev.guise.testkit.Faults} inject errors per address or path. {@link
 * dev.guise.testkit.tls.TestCertificateAuthority} issues the server certificates the engines' tests
 * need (valid, wildcard, wrong host, expired, not yet valid, self-signed, signed by an untrusted
 * CA) for JDK TLS servers and {@code openssl s_server}.
 */
module dev.guise.testkit {
  requires transitive dev.guise.api;
  requires transitive dev.guise.fingerprint;
  requires dev.guise.codec;
  requires com.fasterxml.jackson.jr.ob;
  requires org.bouncycastle.provider;
  requires org.bouncycastle.pkix;
  requires org.bouncycastle.util;

  exports dev.guise.testkit;
  exports dev.guise.testkit.tls;
}
