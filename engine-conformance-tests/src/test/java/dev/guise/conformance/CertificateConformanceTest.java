package dev.guise.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.TlsConnectRequest;
import dev.guise.api.TlsConnection;
import dev.guise.api.TlsEndpoint;
import dev.guise.api.TrustPolicy;
import dev.guise.api.spi.Providers;
import dev.guise.api.spi.TlsEngine;
import dev.guise.testing.JdkTlsServer;
import dev.guise.testkit.tls.IssuedCertificate;
import dev.guise.testkit.tls.TestCertificateAuthority;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Certificate and host name checks, in one place for every engine: the same matrix runs over every
 * TLS engine discovery finds (jdk, bouncycastle, conscrypt), against a JDK TLS server on loopback
 * presenting certificates from the testkit CA. Each engine must accept what a browser accepts and
 * reject what it rejects, as a CERTIFICATE failure that is never retried.
 */
class CertificateConformanceTest {
  private static final TestCertificateAuthority CA =
      TestCertificateAuthority.create("Guise conformance CA");
  private static final TrustPolicy TRUST = CA.trustPolicy();
  private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  static Stream<String> engines() {
    return Engines.usable();
  }

  @BeforeAll
  static void everyEngineIsHere() {
    List<String> names = engines().toList();
    // conscrypt needs its native library; the other two are pure Java and must always be found
    assertTrue(names.containsAll(List.of("jdk", "bouncycastle")), "engines found: " + names);
  }

  @Test
  void conscryptIsUsableOnThisMachine() {
    TlsEngine conscrypt = Providers.tlsEngine("conscrypt");
    assertEquals(Optional.empty(), conscrypt.unavailableReason());
  }

  // --- accepted ---

  @ParameterizedTest(name = "{0}")
  @MethodSource("engines")
  void validCertificate(String engine) throws Exception {
    assertAccepted(engine, CA.issue("www.example.test"), "127.0.0.1", "www.example.test");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("engines")
  void wildcardCoversOneLabel(String engine) throws Exception {
    assertAccepted(engine, CA.issue("*.example.test"), "127.0.0.1", "api.example.test");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("engines")
  void ipSanForAnIpLiteralHost(String engine) throws Exception {
    assertAccepted(engine, CA.issue("127.0.0.1"), "127.0.0.1", "127.0.0.1");
  }

  /** The name is checked against the host (the SNI), not the IP the socket happens to reach. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("engines")
  void hostNameCheckedNotTheConnectedIp(String engine) throws Exception {
    assertAccepted(engine, CA.issue("www.example.test"), "127.0.0.2", "www.example.test");
  }

  // --- rejected ---

  @ParameterizedTest(name = "{0}")
  @MethodSource("engines")
  void wildcardDoesNotCoverTwoLabels(String engine) {
    assertRejected(engine, CA.issue("*.example.test"), "127.0.0.1", "a.b.example.test", TRUST);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("engines")
  void wildcardDoesNotCoverTheApex(String engine) {
    assertRejected(engine, CA.issue("*.example.test"), "127.0.0.1", "example.test", TRUST);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("engines")
  void wrongHost(String engine) {
    assertRejected(engine, CA.issue("other.example.test"), "127.0.0.1", "www.example.test", TRUST);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("engines")
  void expired(String engine) {
    assertRejected(
        engine, CA.issueExpired("www.example.test"), "127.0.0.1", "www.example.test", TRUST);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("engines")
  void notYetValid(String engine) {
    assertRejected(
        engine, CA.issueNotYetValid("www.example.test"), "127.0.0.1", "www.example.test", TRUST);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("engines")
  void selfSigned(String engine) {
    assertRejected(
        engine,
        TestCertificateAuthority.selfSigned("www.example.test"),
        "127.0.0.1",
        "www.example.test",
        TRUST);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("engines")
  void untrustedCa(String engine) {
    TestCertificateAuthority stranger = TestCertificateAuthority.create("Someone else");
    assertRejected(
        engine, stranger.issue("www.example.test"), "127.0.0.1", "www.example.test", TRUST);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("engines")
  void systemTrustStoreDoesNotKnowTheTestCa(String engine) {
    assertRejected(
        engine,
        CA.issue("www.example.test"),
        "127.0.0.1",
        "www.example.test",
        TrustPolicy.systemDefaults());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("engines")
  void ipLiteralHostNeedsAnIpSan(String engine) {
    assertRejected(engine, CA.issue("www.example.test"), "127.0.0.1", "127.0.0.1", TRUST);
  }

  /** A certificate naming only the connected IP does not vouch for the host name we asked for. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("engines")
  void connectedIpInTheCertificateIsNotEnough(String engine) {
    assertRejected(engine, CA.issue("127.0.0.2"), "127.0.0.2", "www.example.test", TRUST);
  }

  /**
   * Hostile peer: a correctly signed chain 120 intermediates deep (~50 KB of certificates). Every
   * engine must refuse it within the handshake timeout, as CERTIFICATE (path too long) or
   * TLS_HANDSHAKE (the JDK: handshake message over its 32 KiB limit; bouncycastle: chain longer
   * than its maximum of 10), never accept it or hang.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("engines")
  void absurdlyLongChainIsRefused(String engine) throws Exception {
    LongChain chain = longChain();
    long start = System.nanoTime();
    var e =
        assertThrows(
            ClassifiedIOException.class,
            () -> fetch(engine, chain.server(), "127.0.0.1", "www.example.test", chain.trust()));
    assertTrue(
        Set.of(FailureKind.CERTIFICATE, FailureKind.TLS_HANDSHAKE).contains(e.kind()),
        engine + ": " + e.kind() + " " + e.getMessage());
    assertTrue(
        System.nanoTime() - start < HANDSHAKE_TIMEOUT.toNanos() + 5_000_000_000L,
        "ended by the engine, not by a timeout");
  }

  // --- plumbing ---

  private static String profile(String engine) {
    return Providers.tlsEngine(engine).offers().get(0).profile();
  }

  private static void assertAccepted(
      String engine, IssuedCertificate cert, String bind, String host) throws Exception {
    String response = fetch(engine, cert, bind, host, TRUST);
    assertTrue(response.startsWith("HTTP/1.1 200 OK"), engine + ": " + response);
  }

  private static void assertRejected(
      String engine, IssuedCertificate cert, String bind, String host, TrustPolicy trust) {
    var e =
        assertThrows(
            ClassifiedIOException.class,
            () -> fetch(engine, cert, bind, host, trust),
            engine + " accepted it");
    assertEquals(FailureKind.CERTIFICATE, e.kind(), engine + ": " + e.getMessage());
    assertFalse(e.failure().retryable(), engine + ": a rejected certificate is never retried");
  }

  private static String fetch(
      String engineName, IssuedCertificate cert, String bind, String host, TrustPolicy trust)
      throws Exception {
    TlsEngine engine = Providers.tlsEngine(engineName);
    // One short HTTP/1.1 response per connection, then close; ALPN http/1.1 as every engine offers.
    try (JdkTlsServer server =
        JdkTlsServer.builder(cert.serverSslContext())
            .bind(bind)
            .protocols("TLSv1.3", "TLSv1.2")
            .alpn("http/1.1")
            .start()) {
      InetAddress address = InetAddress.getByName(bind);
      Socket socket = new Socket();
      socket.connect(new InetSocketAddress(address, server.port()), 2000);
      try (TlsConnection c =
          engine.connect(
              socket,
              new TlsConnectRequest(
                  new TlsEndpoint(host, address, server.port()),
                  profile(engineName),
                  List.of("http/1.1"),
                  trust,
                  HANDSHAKE_TIMEOUT))) {
        c.setReadTimeout(Duration.ofSeconds(5));
        OutputStream out = c.output();
        out.write(
            ("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = c.input();
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        for (int n; (n = in.read(buf)) >= 0 && response.size() < 1 << 16; ) {
          response.write(buf, 0, n);
        }
        return response.toString(StandardCharsets.US_ASCII);
      }
    }
  }

  record LongChain(IssuedCertificate server, TrustPolicy trust) {}

  private static LongChain longChainCache;

  /** root (trusted) -> 120 intermediates -> leaf for www.example.test, all EC P-256, all valid. */
  private static synchronized LongChain longChain() throws Exception {
    if (longChainCache != null) {
      return longChainCache;
    }
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec("secp256r1"));
    Instant now = Instant.now();
    KeyPair rootKey = gen.generateKeyPair();
    X500Name rootName = new X500Name("CN=Long chain root");
    X509Certificate root = sign(rootName, rootKey, rootName, rootKey, true, null, now);
    List<X509Certificate> issued = new ArrayList<>();
    X500Name issuerName = rootName;
    KeyPair issuerKey = rootKey;
    for (int i = 1; i <= 120; i++) {
      KeyPair k = gen.generateKeyPair();
      X500Name name = new X500Name("CN=Long chain intermediate " + i);
      issued.add(0, sign(name, k, issuerName, issuerKey, true, null, now));
      issuerName = name;
      issuerKey = k;
    }
    KeyPair leafKey = gen.generateKeyPair();
    X509Certificate leaf =
        sign(
            new X500Name("CN=www.example.test"),
            leafKey,
            issuerName,
            issuerKey,
            false,
            "www.example.test",
            now);
    List<X509Certificate> chain = new ArrayList<>();
    chain.add(leaf);
    chain.addAll(issued);
    longChainCache =
        new LongChain(
            new IssuedCertificate(chain, leafKey.getPrivate()),
            TrustPolicy.onlyAnchors(List.of(root)));
    return longChainCache;
  }

  private static X509Certificate sign(
      X500Name subject,
      KeyPair subjectKey,
      X500Name issuer,
      KeyPair issuerKey,
      boolean ca,
      String dnsName,
      Instant now)
      throws Exception {
    var b =
        new JcaX509v3CertificateBuilder(
            issuer,
            BigInteger.valueOf(now.toEpochMilli())
                .add(BigInteger.valueOf(subject.hashCode() & 0x7fffffff)),
            Date.from(now.minusSeconds(3600)),
            Date.from(now.plusSeconds(86_400)),
            subject,
            subjectKey.getPublic());
    b.addExtension(
        Extension.basicConstraints,
        true,
        ca ? new BasicConstraints(true) : new BasicConstraints(false));
    b.addExtension(
        Extension.keyUsage,
        true,
        ca
            ? new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)
            : new KeyUsage(KeyUsage.digitalSignature));
    if (dnsName != null) {
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
    }
    var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey.getPrivate());
    return new JcaX509CertificateConverter().getCertificate(b.build(signer));
  }
}
