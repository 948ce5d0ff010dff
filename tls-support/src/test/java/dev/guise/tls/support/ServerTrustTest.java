package dev.guise.tls.support;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.TrustPolicy;
import dev.guise.testkit.tls.IssuedCertificate;
import dev.guise.testkit.tls.TestCertificateAuthority;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one trust stack: chains as the policy says, then the requested host's name. */
class ServerTrustTest {
  private static final TestCertificateAuthority CA = TestCertificateAuthority.create("Trust CA");
  private static final String HOST = "www.example.test";

  private static X509Certificate[] chain(IssuedCertificate issued) {
    return issued.chain().toArray(X509Certificate[]::new);
  }

  @Test
  void aChainToAnExtraAnchorForTheHostIsAccepted() throws Exception {
    ServerTrust trust = ServerTrust.forPolicy(CA.trustPolicy());
    trust.check(chain(CA.issue(HOST)), "UNKNOWN", HOST);
    // Conscrypt's name for the TLS 1.3 auth type, which the JDK's PKIX would refuse as is.
    trust.check(chain(CA.issue(HOST)), "GENERIC", HOST);
    trust.check(chain(CA.issue(HOST)), "ECDHE_ECDSA", HOST);
  }

  @Test
  void extraAnchorsAddToTheSystemStoreWithoutReplacingIt() throws Exception {
    TrustPolicy policy = TrustPolicy.systemDefaults().withExtraAnchors(List.of(CA.certificate()));
    ServerTrust.forPolicy(policy).check(chain(CA.issue(HOST)), "UNKNOWN", HOST);
    assertThrows(
        CertificateException.class,
        () ->
            ServerTrust.forPolicy(TrustPolicy.systemDefaults())
                .check(chain(CA.issue(HOST)), "UNKNOWN", HOST));
  }

  @Test
  void aTrustedChainForAnotherHostIsANameMismatch() {
    ServerTrust trust = ServerTrust.forPolicy(CA.trustPolicy());
    assertThrows(
        HostNameMismatchException.class,
        () -> trust.check(chain(CA.issue("other.example.test")), "UNKNOWN", HOST));
  }

  @Test
  void untrustedAndOutOfDateChainsAreRejectedWithTheReasonInTheCauses() {
    ServerTrust trust = ServerTrust.forPolicy(CA.trustPolicy());
    TestCertificateAuthority stranger = TestCertificateAuthority.create("Stranger");
    var untrusted =
        assertThrows(
            CertificateException.class,
            () -> trust.check(chain(stranger.issue(HOST)), "UNKNOWN", HOST));
    assertTrue(!(untrusted instanceof HostNameMismatchException), untrusted.toString());
    var expired =
        assertThrows(
            CertificateException.class,
            () -> trust.check(chain(CA.issueExpired(HOST)), "UNKNOWN", HOST));
    assertTrue(hasCause(expired, CertificateExpiredException.class), expired.toString());
    var early =
        assertThrows(
            CertificateException.class,
            () -> trust.check(chain(CA.issueNotYetValid(HOST)), "UNKNOWN", HOST));
    assertTrue(hasCause(early, CertificateNotYetValidException.class), early.toString());
    assertThrows(
        CertificateException.class, () -> trust.check(new X509Certificate[0], "UNKNOWN", HOST));
  }

  @Test
  void anAbsurdlyLongChainIsRejectedBeforeAnySignatureIsChecked() {
    X509Certificate[] issued = chain(CA.issue(HOST));
    X509Certificate[] longChain = new X509Certificate[ServerTrust.MAX_CHAIN_LENGTH + 1];
    for (int i = 0; i < longChain.length; i++) {
      longChain[i] = issued[Math.min(i, issued.length - 1)];
    }
    var e =
        assertThrows(
            CertificateException.class,
            () -> ServerTrust.forPolicy(CA.trustPolicy()).check(longChain, "UNKNOWN", HOST));
    assertTrue(e.getMessage().contains("limit"), e.getMessage());
  }

  @Test
  void onlyTheExplicitPolicyTrustsAnything() throws Exception {
    ServerTrust any = ServerTrust.forPolicy(TrustPolicy.dangerouslyTrustAnyCertificate());
    any.check(chain(TestCertificateAuthority.selfSigned("other.example.test")), "UNKNOWN", HOST);
    any.trustManager().checkServerTrusted(chain(CA.issueExpired("x.test")), "UNKNOWN");
  }

  @Test
  void theTrustManagerFailsClosedWithoutAHostToCheck() {
    var tm = ServerTrust.forPolicy(CA.trustPolicy()).trustManager();
    assertThrows(
        CertificateException.class, () -> tm.checkServerTrusted(chain(CA.issue(HOST)), "UNKNOWN"));
    assertThrows(
        CertificateException.class, () -> tm.checkClientTrusted(chain(CA.issue(HOST)), "UNKNOWN"));
    assertInstanceOf(X509Certificate.class, tm.getAcceptedIssuers()[0]);
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }
}
