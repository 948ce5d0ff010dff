package dev.guise.testkit.tls;

import dev.guise.api.TrustPolicy;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority for tests: a self-signed root that issues server certificates
 * for chosen DNS names and IP addresses.
 *
 * <p>What browsers accept and reject can be produced on demand: {@link #issue(String...) valid}
 * (DNS and IP subject alternative names), wildcard ({@code issue("*.example.test")}), wrong host
 * (issue for another name), {@link #issueExpired expired}, {@link #issueNotYetValid not yet valid},
 * {@link #selfSigned self-signed}, and signed by an untrusted CA (a second authority whose root the
 * test does not trust). Leaf certificates carry the extensions a public CA's would: SANs only (no
 * name in the subject CN that a verifier could fall back to), extended key usage serverAuth, key
 * usage, and authority/subject key identifiers.
 *
 * <p>Keys are ECDSA P-256 by default (fast to generate and use); {@link KeyType#RSA_2048} on
 * request. Signing uses the JDK's own providers; the BouncyCastle provider is not registered.
 *
 * <p>Thread-safe: the authority is immutable after creation.
 */
public final class TestCertificateAuthority {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration DEFAULT_LIFETIME = Duration.ofDays(30);

  /** Back-dating absorbs clock differences between the test JVM and an external server. */
  private static final Duration BACKDATE = Duration.ofHours(1);

  private final X500Name name;
  private final KeyPair keyPair;
  private final KeyType keyType;
  private final X509Certificate certificate;

  private TestCertificateAuthority(String commonName, KeyType keyType) {
    this.name = new X500Name("CN=" + commonName + ", O=Guise Testkit");
    this.keyType = keyType;
    this.keyPair = generateKeyPair(keyType);
    Instant now = Instant.now();
    this.certificate =
        build(
            name,
            keyPair.getPublic(),
            name,
            keyPair.getPrivate(),
            keyPair.getPublic(),
            keyType,
            now.minus(BACKDATE),
            now.plus(Duration.ofDays(365)),
            true,
            List.of());
  }

  /** A new authority with an ECDSA P-256 root called {@code commonName}. */
  public static TestCertificateAuthority create(String commonName) {
    return create(commonName, KeyType.EC_P256);
  }

  /** A new authority whose root key is of {@code keyType}. */
  public static TestCertificateAuthority create(String commonName, KeyType keyType) {
    Objects.requireNonNull(commonName, "commonName");
    Objects.requireNonNull(keyType, "keyType");
    return new TestCertificateAuthority(commonName, keyType);
  }

  /** The root certificate, to be trusted by clients. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** A trust policy that trusts only this authority's root. */
  public TrustPolicy trustPolicy() {
    return TrustPolicy.onlyAnchors(List.of(certificate));
  }

  /**
   * A valid ECDSA P-256 server certificate for {@code names} (DNS names, wildcards or IP literals).
   */
  public IssuedCertificate issue(String... names) {
    return leaf(names).issue();
  }

  /** A certificate for {@code names} that expired yesterday. */
  public IssuedCertificate issueExpired(String... names) {
    Instant now = Instant.now();
    return leaf(names)
        .validity(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)))
        .issue();
  }

  /** A certificate for {@code names} that becomes valid tomorrow. */
  public IssuedCertificate issueNotYetValid(String... names) {
    Instant now = Instant.now();
    return leaf(names)
        .validity(now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)))
        .issue();
  }

  /** A builder for a server certificate for {@code names}, to change key type or validity. */
  public LeafBuilder leaf(String... names) {
    return new LeafBuilder(this, List.of(names));
  }

  /**
   * A self-signed server certificate for {@code names}: its own issuer, not a CA. Rejected by
   * browsers unless the certificate itself is added as a trust anchor.
   */
  public static IssuedCertificate selfSigned(String... names) {
    KeyPair pair = generateKeyPair(KeyType.EC_P256);
    X500Name subject = new X500Name("O=Guise Testkit self-signed");
    Instant now = Instant.now();
    X509Certificate cert =
        build(
            subject,
            pair.getPublic(),
            subject,
            pair.getPrivate(),
            pair.getPublic(),
            KeyType.EC_P256,
            now.minus(BACKDATE),
            now.plus(DEFAULT_LIFETIME),
            false,
            List.of(names));
    return new IssuedCertificate(List.of(cert), pair.getPrivate());
  }

  /** Configures one server certificate; {@link #issue()} signs it. Not thread-safe. */
  public static final class LeafBuilder {
    private final TestCertificateAuthority authority;
    private final List<String> names;
    private KeyType keyType = KeyType.EC_P256;
    private Instant notBefore;
    private Instant notAfter;

    private LeafBuilder(TestCertificateAuthority authority, List<String> names) {
      if (names.isEmpty()) {
        throw new IllegalArgumentException("a server certificate needs at least one name");
      }
      this.authority = authority;
      this.names = names;
      Instant now = Instant.now();
      this.notBefore = now.minus(BACKDATE);
      this.notAfter = now.plus(DEFAULT_LIFETIME);
    }

    /** The leaf's key type (the authority's own key type is fixed at creation). */
    public LeafBuilder keyType(KeyType type) {
      this.keyType = Objects.requireNonNull(type, "type");
      return this;
    }

    /** The validity period. */
    public LeafBuilder validity(Instant from, Instant until) {
      if (!until.isAfter(from)) {
        throw new IllegalArgumentException("validity must end after it starts");
      }
      this.notBefore = from;
      this.notAfter = until;
      return this;
    }

    /** Generates the key and signs the certificate. */
    public IssuedCertificate issue() {
      KeyPair pair = generateKeyPair(keyType);
      X500Name subject = new X500Name("O=Guise Testkit server");
      X509Certificate cert =
          build(
              subject,
              pair.getPublic(),
              authority.name,
              authority.keyPair.getPrivate(),
              authority.keyPair.getPublic(),
              authority.keyType,
              notBefore,
              notAfter,
              false,
              names);
      return new IssuedCertificate(List.of(cert), pair.getPrivate());
    }
  }

  private static KeyPair generateKeyPair(KeyType type) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(type.keyAlgorithm);
      if (type == KeyType.EC_P256) {
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      } else {
        generator.initialize(2048, RANDOM);
      }
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate a " + type + " key", e);
    }
  }

  private static X509Certificate build(
      X500Name subject,
      PublicKey subjectKey,
      X500Name issuer,
      PrivateKey issuerKey,
      PublicKey issuerPublicKey,
      KeyType issuerKeyType,
      Instant notBefore,
      Instant notAfter,
      boolean isCa,
      List<String> names) {
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              issuer,
              new BigInteger(127, RANDOM).add(BigInteger.ONE),
              Date.from(notBefore),
              Date.from(notAfter),
              subject,
              subjectKey);
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
      builder.addExtension(
          Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKey));
      if (!subjectKey.equals(issuerPublicKey)) {
        builder.addExtension(
            Extension.authorityKeyIdentifier,
            false,
            utils.createAuthorityKeyIdentifier(issuerPublicKey));
      }
      if (isCa) {
        builder.addExtension(
            Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      } else {
        int usage = KeyUsage.digitalSignature;
        if ("RSA".equals(subjectKey.getAlgorithm())) {
          usage |= KeyUsage.keyEncipherment; // TLS 1.2 RSA key exchange
        }
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
        builder.addExtension(
            Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        builder.addExtension(Extension.subjectAlternativeName, false, subjectAltNames(names));
      }
      var signer = new JcaContentSignerBuilder(issuerKeyType.signatureAlgorithm).build(issuerKey);
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
      throw new IllegalStateException("cannot build a test certificate", e);
    }
  }

  private static GeneralNames subjectAltNames(List<String> names) {
    List<GeneralName> out = new ArrayList<>();
    for (String name : names) {
      if (isIpLiteral(name)) {
        out.add(new GeneralName(GeneralName.iPAddress, name));
      } else {
        out.add(new GeneralName(GeneralName.dNSName, name));
      }
    }
    return new GeneralNames(out.toArray(new GeneralName[0]));
  }

  private static boolean isIpLiteral(String name) {
    if (name.indexOf(':') >= 0) {
      return true;
    }
    if (!name.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      return false;
    }
    try {
      InetAddress.getByName(name); // a literal: no lookup happens
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
