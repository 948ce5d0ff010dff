package dev.guise.tls.bouncycastle.internal.crypto;

import java.io.IOException;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.tls.SignatureScheme;
import org.bouncycastle.tls.crypto.Tls13Verifier;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * A server's X.509 certificate whose TLS 1.3 {@code ecdsa_secp256r1_sha256} signatures are checked
 * by {@link NativeCrypto} (BoringSSL's P-256) when its key is a P-256 key; every other use, and
 * every other signature scheme, is BouncyCastle's as for any {@link BcTlsCertificate}. The key
 * usage is checked first, as BouncyCastle does. Immutable; one per certificate of a handshake.
 */
final class NativeVerifiedCertificate extends BcTlsCertificate {
  private final NativeCrypto nativeCrypto;

  NativeVerifiedCertificate(BcTlsCrypto crypto, byte[] encoding, NativeCrypto nativeCrypto)
      throws IOException {
    super(crypto, encoding);
    this.nativeCrypto = nativeCrypto;
  }

  @Override
  public Tls13Verifier createVerifier(int signatureScheme) throws IOException {
    if (signatureScheme == SignatureScheme.ecdsa_secp256r1_sha256) {
      validateKeyUsage(KeyUsage.digitalSignature);
      Tls13Verifier verifier = nativeCrypto.ecdsaP256Verifier(getSubjectPublicKeyInfo());
      if (verifier != null) {
        return verifier;
      }
    }
    return super.createVerifier(signatureScheme);
  }
}
