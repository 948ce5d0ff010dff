package dev.guise.tls.bouncycastle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.fingerprint.ClientHello;
import dev.guise.fingerprint.EncryptedClientHelloInfo;
import dev.guise.fingerprint.Ja3;
import dev.guise.fingerprint.Ja4;
import dev.guise.fingerprint.KeyShare;
import dev.guise.fingerprint.TlsExtension;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the engine puts on the wire, parsed, against the browsers' reference captures: the same JA4
 * (and JA3 for Firefox), and field by field the same hello apart from what the browser itself
 * randomises.
 */
class ClientHelloFidelityTest {
  private static final String HOST =
      "www.fp-oracle.test"; // the captures' host, so SNI compares too
  private static final BouncyCastleEngine ENGINE = new BouncyCastleEngine();

  @Test
  void chromeHasTheReferenceJa4AndDiffersOnlyWhereChromeRandomises() throws Exception {
    ClientHello reference = TestSupport.reference("chromium1-conn03.bin");
    ClientHello sent =
        ClientHello.parse(TestSupport.catchHello(ENGINE, HOST, "chrome-156", List.of()));

    assertEquals("t13d1517h2_8daaf6152771_cb7bf5808d99", Ja4.of(sent).ja4());
    assertEquals(Ja4.of(reference).ja4(), Ja4.of(sent).ja4());
    assertEquals(Ja3.of(reference).normalized(), Ja3.of(sent).normalized());
    assertSameApartFromRandomisedFields(reference, sent);

    // Chrome's shape: GREASE extension first (empty) and last (one zero byte), distinct values.
    List<TlsExtension> ext = sent.extensions();
    assertTrue(ext.get(0).isGrease());
    assertTrue(ext.get(ext.size() - 1).isGrease());
    assertEquals(0, ext.get(0).length());
    assertArrayEquals(new byte[] {0}, ext.get(ext.size() - 1).data());
    assertNotEquals(ext.get(0).type(), ext.get(ext.size() - 1).type());
    assertTrue(ClientHello.isGrease(sent.cipherSuites().get(0)));
    // The GREASE key share uses the GREASE group, as Chrome's does.
    assertEquals(sent.supportedGroups().get(0), sent.keyShares().get(0).group());
    int ech = sent.ech().orElseThrow().payloadLength();
    assertTrue(Set.of(144, 176, 208, 240).contains(ech), "ECH GREASE payload " + ech);
  }

  @Test
  void firefoxHasTheReferenceJa4AndJa3AndTheReferenceOrder() throws Exception {
    ClientHello reference = TestSupport.reference("firefox1-conn06.bin");
    ClientHello sent =
        ClientHello.parse(TestSupport.catchHello(ENGINE, HOST, "firefox", List.of()));

    assertEquals("t13d1617h2_86a278354501_3cbfd9057e0d", Ja4.of(sent).ja4());
    assertEquals("6447ab086255d194909d4013b1a89e87", Ja3.of(sent).hash());
    assertEquals(Ja3.of(reference).string(), Ja3.of(sent).string());
    assertEquals(reference.extensionTypes(), sent.extensionTypes(), "Firefox's order is fixed");
    assertSameApartFromRandomisedFields(reference, sent);
    EncryptedClientHelloInfo ech = sent.ech().orElseThrow();
    assertEquals(reference.ech().orElseThrow().payloadLength(), ech.payloadLength());
    assertTrue(
        ech.aeadId() == 1 || ech.aeadId() == 3, "NSS picks AES-128-GCM or ChaCha20-Poly1305");
    // Real key shares for X25519MLKEM768, x25519 and P-256, in Firefox's order and sizes.
    assertEquals(
        List.of(0x11ec, 0x001d, 0x0017), sent.keyShares().stream().map(KeyShare::group).toList());
    assertEquals(
        List.of(1216, 32, 65), sent.keyShares().stream().map(KeyShare::keyLength).toList());
  }

  /**
   * Firefox 153 sends one X25519 public key twice (its X25519MLKEM768 share ends with its X25519
   * share); Chromium makes a key pair per share. A server comparing the shares sees which, so the
   * engine does as the captured browser did, with a fresh key per connection.
   */
  @ParameterizedTest
  @CsvSource({"firefox-153, firefox1-conn06.bin", "chrome-156, chromium1-conn03.bin"})
  void sendsOneX25519KeyInBothSharesExactlyWhenTheBrowserDid(String profile, String capture)
      throws Exception {
    boolean browserSharesOneKey = x25519Halves(TestSupport.reference(capture)).oneKey();
    assertEquals(profile.startsWith("firefox"), browserSharesOneKey, "the capture says");

    X25519Halves first =
        x25519Halves(ClientHello.parse(TestSupport.catchHello(ENGINE, HOST, profile, List.of())));
    X25519Halves second =
        x25519Halves(ClientHello.parse(TestSupport.catchHello(ENGINE, HOST, profile, List.of())));
    assertEquals(browserSharesOneKey, first.oneKey());
    assertEquals(browserSharesOneKey, second.oneKey());
    assertFalse(Arrays.equals(first.plain(), second.plain()), "a fresh key per connection");
  }

  private record X25519Halves(byte[] plain, byte[] hybridHalf) {
    boolean oneKey() {
      return Arrays.equals(plain, hybridHalf);
    }
  }

  /** The X25519 share and the X25519 half (its last 32 bytes) of the X25519MLKEM768 share. */
  private static X25519Halves x25519Halves(ClientHello hello) {
    byte[] plain = null;
    byte[] hybrid = null;
    for (KeyShare share : hello.keyShares()) {
      if (share.group() == 0x001d) {
        plain = share.key();
      } else if (share.group() == 0x11ec) {
        hybrid = share.key();
      }
    }
    assertEquals(32, plain.length);
    assertEquals(1184 + 32, hybrid.length);
    return new X25519Halves(plain, Arrays.copyOfRange(hybrid, 1184, hybrid.length));
  }

  @Test
  void chromePermutesItsExtensionsPerConnectionWithGreaseFirstAndLast() throws Exception {
    Set<List<Integer>> orders = new HashSet<>();
    Set<Integer> greaseValues = new HashSet<>();
    Set<Integer> echLengths = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      ClientHello sent =
          ClientHello.parse(TestSupport.catchHello(ENGINE, HOST, "chrome", List.of()));
      List<TlsExtension> ext = sent.extensions();
      assertTrue(ext.get(0).isGrease(), "GREASE first");
      assertTrue(ext.get(ext.size() - 1).isGrease(), "GREASE last");
      assertNotEquals(ext.get(0).type(), ext.get(ext.size() - 1).type());
      List<Integer> middle = new ArrayList<>();
      for (int j = 1; j < ext.size() - 1; j++) {
        assertFalse(ext.get(j).isGrease(), "GREASE only first and last");
        middle.add(ext.get(j).type());
      }
      orders.add(middle);
      greaseValues.add(ext.get(0).type());
      echLengths.add(sent.ech().orElseThrow().payloadLength());
      assertEquals("t13d1517h2_8daaf6152771_cb7bf5808d99", Ja4.of(sent).ja4());
    }
    // 17! orders: 200 draws from a uniform shuffle repeat with negligible probability.
    assertTrue(orders.size() >= 190, "distinct extension orders: " + orders.size());
    assertTrue(greaseValues.size() >= 12, "GREASE values seen: " + greaseValues);
    assertEquals(Set.of(144, 176, 208, 240), echLengths);
  }

  /**
   * Every field equal to the reference except: client random, session id, key share bytes (fresh
   * keys), GREASE values, ECH GREASE contents, and the order of extensions between Chrome's GREASE
   * extensions.
   */
  static void assertSameApartFromRandomisedFields(ClientHello reference, ClientHello sent) {
    assertEquals(reference.legacyVersion(), sent.legacyVersion());
    assertEquals(reference.sessionId().length, sent.sessionId().length);
    assertFalse(Arrays.equals(reference.random(), sent.random()), "fresh client random");
    assertEquals(degrease(reference.cipherSuites()), degrease(sent.cipherSuites()));
    assertEquals(reference.compressionMethods(), sent.compressionMethods());
    assertEquals(
        sorted(degrease(reference.extensionTypes())), sorted(degrease(sent.extensionTypes())));
    assertEquals(
        greasePositions(reference.extensionTypes()), greasePositions(sent.extensionTypes()));
    assertEquals(degrease(reference.supportedGroups()), degrease(sent.supportedGroups()));
    assertEquals(
        greasePositions(reference.supportedGroups()), greasePositions(sent.supportedGroups()));
    assertEquals(degrease(reference.signatureAlgorithms()), degrease(sent.signatureAlgorithms()));
    assertEquals(
        greasePositions(reference.signatureAlgorithms()),
        greasePositions(sent.signatureAlgorithms()));
    assertEquals(degrease(reference.supportedVersions()), degrease(sent.supportedVersions()));
    assertEquals(
        greasePositions(reference.supportedVersions()), greasePositions(sent.supportedVersions()));
    assertEquals(shape(reference.keyShares()), shape(sent.keyShares()));
    for (int i = 0; i < reference.keyShares().size(); i++) {
      KeyShare r = reference.keyShares().get(i);
      if (!ClientHello.isGrease(r.group())) {
        assertFalse(Arrays.equals(r.key(), sent.keyShares().get(i).key()), "fresh key share");
      }
    }
    for (TlsExtension r : reference.extensions()) {
      if (r.isGrease()) {
        continue;
      }
      TlsExtension s = sent.extension(r.type()).orElseThrow();
      switch (r.type()) {
        case ClientHello.EXT_KEY_SHARE,
            ClientHello.EXT_SUPPORTED_GROUPS,
            ClientHello.EXT_SIGNATURE_ALGORITHMS,
            ClientHello.EXT_SUPPORTED_VERSIONS -> {
          // compared above, GREASE aside
        }
        case ClientHello.EXT_ENCRYPTED_CLIENT_HELLO -> {
          EncryptedClientHelloInfo re = reference.ech().orElseThrow();
          EncryptedClientHelloInfo se = sent.ech().orElseThrow();
          assertEquals(re.type(), se.type());
          assertEquals(re.kdfId(), se.kdfId());
          assertEquals(re.encLength(), se.encLength());
        }
        case ClientHello.EXT_PADDING ->
            assertArrayEquals(new byte[s.length()], s.data(), "zero padding");
        default ->
            assertArrayEquals(
                r.data(), s.data(), () -> String.format("extension 0x%04x", r.type()));
      }
    }
    // GREASE extensions keep their payloads (Chrome: empty first, one zero byte last).
    List<TlsExtension> rg = reference.extensions().stream().filter(TlsExtension::isGrease).toList();
    List<TlsExtension> sg = sent.extensions().stream().filter(TlsExtension::isGrease).toList();
    assertEquals(rg.size(), sg.size());
    for (int i = 0; i < rg.size(); i++) {
      assertArrayEquals(rg.get(i).data(), sg.get(i).data());
    }
  }

  private static List<Integer> degrease(List<Integer> values) {
    return values.stream().filter(v -> !ClientHello.isGrease(v)).toList();
  }

  private static List<Integer> sorted(List<Integer> values) {
    return values.stream().sorted().toList();
  }

  private static List<Integer> greasePositions(List<Integer> values) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      if (ClientHello.isGrease(values.get(i))) {
        out.add(i);
      }
    }
    return out;
  }

  private static List<String> shape(List<KeyShare> shares) {
    return shares.stream()
        .map(
            s ->
                (ClientHello.isGrease(s.group()) ? "GREASE" : Integer.toHexString(s.group()))
                    + "/"
                    + s.keyLength())
        .toList();
  }
}
