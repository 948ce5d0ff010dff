package dev.guise.tls.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.testkit.tls.TestCertificateAuthority;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one RFC 6125 matcher: what a browser accepts for a host, and nothing more. */
class HostNamesTest {
  private static final TestCertificateAuthority CA = TestCertificateAuthority.create("Names CA");

  private static X509Certificate leaf(String... names) {
    return CA.issue(names).leaf();
  }

  @Test
  void exactNamesMatchIgnoringCaseAndATrailingDot() throws Exception {
    X509Certificate cert = leaf("www.example.test");
    assertTrue(HostNames.matches("www.example.test", cert));
    assertTrue(HostNames.matches("WWW.Example.TEST.", cert));
    assertFalse(HostNames.matches("other.example.test", cert));
    assertFalse(HostNames.matches("example.test", cert));
  }

  @Test
  void aWildcardIsOneWholeLeftMostLabel() {
    assertTrue(HostNames.dnsNameMatches("api.example.test", "*.example.test"));
    assertFalse(HostNames.dnsNameMatches("a.b.example.test", "*.example.test"));
    assertFalse(HostNames.dnsNameMatches("example.test", "*.example.test"));
    assertFalse(HostNames.dnsNameMatches("api.example.test", "a*.example.test"));
    assertFalse(HostNames.dnsNameMatches("api.example.test", "api.*.test"));
    assertFalse(HostNames.dnsNameMatches("example.com", "*.com"), "no wildcard below a TLD");
  }

  @Test
  void anIpLiteralMatchesOnlyAnIpSanOfTheSameAddress() throws Exception {
    assertTrue(HostNames.matches("127.0.0.1", leaf("127.0.0.1")));
    assertFalse(HostNames.matches("127.0.0.2", leaf("127.0.0.1")));
    assertFalse(HostNames.matches("127.0.0.1", leaf("localhost")));
    assertTrue(HostNames.matches("[::1]", leaf("::1")));
    // A DNS name that happens to be the connected IP does not vouch for a host name.
    assertFalse(HostNames.matches("www.example.test", leaf("127.0.0.2")));
  }

  @Test
  void checkNamesWhatTheCertificateIsFor() throws Exception {
    var e =
        assertThrows(
            HostNameMismatchException.class,
            () -> HostNames.check("www.example.test", leaf("other.example.test")));
    assertTrue(e.getMessage().contains("other.example.test"), e.getMessage());
    HostNames.check("www.example.test", leaf("www.example.test"));
  }

  @Test
  void sniCarriesNamesNeverLiterals() {
    assertEquals(Optional.of("www.example.test"), HostNames.serverName("WWW.example.test."));
    assertEquals(Optional.of("xn--bcher-kva.example"), HostNames.serverName("bücher.example"));
    assertEquals(Optional.empty(), HostNames.serverName("127.0.0.1"));
    assertEquals(Optional.empty(), HostNames.serverName("[::1]"));
    assertEquals(Optional.empty(), HostNames.serverName("::1"));
  }
}
