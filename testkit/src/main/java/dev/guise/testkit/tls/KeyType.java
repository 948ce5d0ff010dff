package dev.guise.testkit.tls;

/** The key algorithm of a test certificate. */
public enum KeyType {
  /** ECDSA on P-256, signed with SHA-256: fast to generate and to handshake with. The default. */
  EC_P256("EC", "SHA256withECDSA"),
  /**
   * RSA 2048, signed with SHA256withRSA; for tests that need an RSA server (TLS 1.2 RSA suites).
   */
  RSA_2048("RSA", "SHA256withRSA");

  final String keyAlgorithm;
  final String signatureAlgorithm;

  KeyType(String keyAlgorithm, String signatureAlgorithm) {
    this.keyAlgorithm = keyAlgorithm;
    this.signatureAlgorithm = signatureAlgorithm;
  }
}
