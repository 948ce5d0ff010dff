package dev.guise.fingerprint;

/**
 * What a ClientHello's encrypted_client_hello extension (0xfe0d) says, as far as an observer can
 * tell. For an inner hello ({@code type} 1) only the type is meaningful and the other fields are 0.
 *
 * @param type 0 for an outer ECH (what browsers send, real or GREASE), 1 for inner
 * @param kdfId the HPKE KDF id (outer only)
 * @param aeadId the HPKE AEAD id (outer only)
 * @param configId the ECH config id (outer only)
 * @param encLength the length of the HPKE encapsulated key (outer only)
 * @param payloadLength the length of the encrypted payload (outer only)
 */
public record EncryptedClientHelloInfo(
    int type, int kdfId, int aeadId, int configId, int encLength, int payloadLength) {
  /** Whether this is an outer ECH extension. */
  public boolean isOuter() {
    return type == 0;
  }
}
