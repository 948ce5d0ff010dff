package dev.guise.tls.bouncycastle.internal.crypto;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.impl.TlsAEADCipherImpl;

/**
 * One direction of a TLS record AEAD, AES-GCM through the JDK's {@code AES/GCM/NoPadding}, whose
 * HotSpot intrinsics use AES-NI and carry-less multiplication: BouncyCastle's lightweight GCM runs
 * in plain Java (table lookups for AES and GHASH). The record layer above, nonces and additional
 * data included, stays BouncyCastle's {@code TlsAEADCipher}, so the bytes on the wire are the same.
 *
 * <p>Not thread-safe: BouncyCastle drives each direction from one thread at a time (its record
 * stream locks), as it does its own cipher.
 */
final class JcaGcmCipher implements TlsAEADCipherImpl {
  private final boolean encrypting;
  private final Cipher cipher;
  private SecretKeySpec key;
  private GCMParameterSpec parameters;
  private int macSize = 16;

  JcaGcmCipher(boolean encrypting) throws GeneralSecurityException {
    this.encrypting = encrypting;
    this.cipher = newCipher();
  }

  /**
   * The SunJCE provider's cipher, named so that a BouncyCastle provider registered ahead of it (the
   * application's choice) cannot slip its pure-Java GCM in.
   */
  static Cipher newCipher() throws NoSuchAlgorithmException, NoSuchPaddingException {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
    } catch (NoSuchProviderException e) {
      return Cipher.getInstance("AES/GCM/NoPadding");
    }
  }

  @Override
  public void setKey(byte[] key, int keyOff, int keyLen) {
    this.key = new SecretKeySpec(key, keyOff, keyLen, "AES");
  }

  @Override
  public void init(byte[] nonce, int macSize) throws IOException {
    this.macSize = macSize;
    parameters = new GCMParameterSpec(macSize * 8, nonce);
  }

  @Override
  public int getOutputSize(int inputLength) {
    // GCM adds the tag when sealing and removes it when opening; the JDK's cipher could say so
    // only once initialised, and it is initialised per record, in doFinal.
    return encrypting ? inputLength + macSize : Math.max(0, inputLength - macSize);
  }

  @Override
  public int doFinal(
      byte[] additionalData,
      byte[] input,
      int inputOffset,
      int inputLength,
      byte[] output,
      int outputOffset)
      throws IOException {
    try {
      // Every record has its own nonce, so re-initialising per record is what GCM requires (the
      // JDK refuses a repeated key and nonce when encrypting). The JDK keeps the expanded AES key
      // while the key stays the same.
      cipher.init(encrypting ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, key, parameters);
      if (additionalData != null && additionalData.length > 0) {
        cipher.updateAAD(additionalData);
      }
      return cipher.doFinal(input, inputOffset, inputLength, output, outputOffset);
    } catch (AEADBadTagException e) {
      throw new TlsFatalAlert(AlertDescription.bad_record_mac, e);
    } catch (GeneralSecurityException e) {
      throw new TlsFatalAlert(AlertDescription.internal_error, e);
    }
  }
}
