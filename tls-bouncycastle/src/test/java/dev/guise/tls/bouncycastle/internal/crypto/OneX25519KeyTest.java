package dev.guise.tls.bouncycastle.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.crypto.TlsAgreement;
import org.bouncycastle.tls.crypto.TlsECConfig;
import org.junit.jupiter.api.Test;

class OneX25519KeyTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  private static TlsAgreement x25519(HybridTlsCrypto crypto) {
    return crypto.createECDomain(new TlsECConfig(NamedGroup.x25519)).createECDH();
  }

  @Test
  void aHellosTwoX25519SharesCarryOneKeyAndAgreeWithThePeer() throws Exception {
    HybridTlsCrypto crypto = new HybridTlsCrypto(RANDOM, new OneX25519Key());
    TlsAgreement hybridHalf = x25519(crypto);
    TlsAgreement plain = x25519(crypto);
    assertSame(hybridHalf, plain);
    byte[] key = hybridHalf.generateEphemeral();
    assertArrayEquals(key, plain.generateEphemeral(), "one public key in both shares");

    // The peer (a server) answers on either share: the secret is the peer's.
    HybridTlsCrypto server = new HybridTlsCrypto(RANDOM, null);
    TlsAgreement peer = x25519(server);
    byte[] peerKey = peer.generateEphemeral();
    peer.receivePeerValue(key);
    plain.receivePeerValue(peerKey);
    assertArrayEquals(peer.calculateSecret().extract(), plain.calculateSecret().extract());
  }

  @Test
  void aHelloRetrysShareGetsAKeyOfItsOwn() throws Exception {
    HybridTlsCrypto crypto = new HybridTlsCrypto(RANDOM, new OneX25519Key());
    TlsAgreement first = x25519(crypto);
    x25519(crypto);
    TlsAgreement retry = x25519(crypto);
    assertNotSame(first, retry);
    assertFalse(Arrays.equals(first.generateEphemeral(), retry.generateEphemeral()));
  }

  @Test
  void theSharedCryptoMakesAKeyPairPerShare() throws Exception {
    HybridTlsCrypto crypto = new HybridTlsCrypto(RANDOM, null);
    TlsAgreement a = x25519(crypto);
    TlsAgreement b = x25519(crypto);
    assertNotSame(a, b);
    assertFalse(Arrays.equals(a.generateEphemeral(), b.generateEphemeral()));
  }

  @Test
  void otherGroupsAreUntouched() throws Exception {
    HybridTlsCrypto crypto = new HybridTlsCrypto(RANDOM, new OneX25519Key());
    TlsAgreement a = crypto.createECDomain(new TlsECConfig(NamedGroup.secp256r1)).createECDH();
    TlsAgreement b = crypto.createECDomain(new TlsECConfig(NamedGroup.secp256r1)).createECDH();
    assertNotSame(a, b);
  }
}
