package dev.guise.testkit.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SignatureException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestCertificateAuthorityTest {
  private static final TestCertificateAuthority CA = TestCertificateAuthority.create("Test Root");

  @Test
  void issuedLeafIsSignedByTheRootAndCarriesTheNames() throws Exception {
    IssuedCertificate issued = CA.issue("www.example.test", "127.0.0.1", "::1");
    X509Certificate leaf = issued.leaf();
    leaf.verify(CA.certificate().getPublicKey());
    leaf.checkValidity();
    Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
    assertTrue(sans.contains(List.of(2, "www.example.test")), sans.toString());
    assertTrue(sans.contains(List.of(7, "127.0.0.1")), sans.toString());
    assertEquals(3, sans.size());
    assertEquals(List.of("1.3.6.1.5.5.7.3.1"), leaf.getExtendedKeyUsage());
    assertEquals(-1, leaf.getBasicConstraints());
    assertEquals("EC", leaf.getPublicKey().getAlgorithm());
  }

  @Test
  void validityVariants() {
    assertThrows(
        CertificateExpiredException.class, () -> CA.issueExpired("a.test").leaf().checkValidity());
    assertThrows(
        CertificateNotYetValidException.class,
        () -> CA.issueNotYetValid("a.test").leaf().checkValidity());
  }

  @Test
  void selfSignedAndUntrustedAreNotSignedByTheRoot() throws Exception {
    IssuedCertificate self = TestCertificateAuthority.selfSigned("a.test");
    self.leaf().verify(self.leaf().getPublicKey());
    TestCertificateAuthority other = TestCertificateAuthority.create("Other Root");
    IssuedCertificate foreign = other.issue("a.test");
    assertThrows(
        SignatureException.class, () -> foreign.leaf().verify(CA.certificate().getPublicKey()));
  }

  @Test
  void rsaLeafAndPemFiles(@TempDir Path dir) throws Exception {
    IssuedCertificate rsa = CA.leaf("rsa.test").keyType(KeyType.RSA_2048).issue();
    assertEquals("RSA", rsa.leaf().getPublicKey().getAlgorithm());
    IssuedCertificate.PemFiles files = rsa.writePem(dir);
    assertTrue(
        Files.readString(files.certificateChain()).startsWith("-----BEGIN CERTIFICATE-----"));
    assertTrue(Files.readString(files.privateKey()).startsWith("-----BEGIN PRIVATE KEY-----"));
    assertTrue(rsa.serverSslContext().getProtocol().startsWith("TLS"));
  }
}
