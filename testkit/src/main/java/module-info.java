/**
 * Test support for Guise: loopback servers, fault injection and a throw-away certificate
 * authority. Never used by production modules.
 *
 * <p>{@link dev.guise.testkit.tls.TestCertificateAuthority} issues the server certificates the
 * engines' tests need (valid, wildcard, wrong host, expired, not yet valid, self-signed, signed by
 * an untrusted CA) for JDK TLS servers and {@code openssl s_server}.
 */
module dev.guise.testkit {
  requires transitive dev.guise.api;
  requires org.bouncycastle.provider;
  requires org.bouncycastle.pkix;
  requires org.bouncycastle.util;

  exports dev.guise.testkit.tls;
}
