package dev.guise.fingerprint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.fingerprint.Captures.Capture;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every reference capture parses to exactly what its JSON says, and re-encodes byte for byte. */
class ClientHelloCaptureTest {
  static Stream<Capture> captures() {
    return Captures.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("captures")
  void roundTripsByteExactly(Capture c) throws Exception {
    ClientHello hello = ClientHello.parse(c.bin());
    byte[] handshake = Arrays.copyOfRange(c.bin(), 5, c.bin().length);
    assertArrayEquals(handshake, hello.toBytes());
    assertArrayEquals(c.bin(), hello.toRecordBytes());
    assertArrayEquals(handshake, ClientHello.parse(handshake).toBytes());
    assertEquals(hello, ClientHello.parseHex(HexFormat.ofDelimiter(":").formatHex(c.bin())));
    // Rebuilding from fields gives the same message.
    ClientHello rebuilt =
        ClientHello.of(
            hello.legacyVersion(),
            hello.random(),
            hello.sessionId(),
            hello.cipherSuites(),
            hello.compressionMethods(),
            hello.extensions());
    assertArrayEquals(handshake, rebuilt.toBytes());
    // And so does the one-pass encoder engines use per connection.
    assertArrayEquals(
        handshake,
        ClientHello.encode(
            hello.legacyVersion(),
            hello.random(),
            hello.sessionId(),
            hello.cipherSuites(),
            hello.compressionMethods(),
            hello.extensions()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("captures")
  void fingerprintsMatchTheCapture(Capture c) throws Exception {
    ClientHello hello = ClientHello.parse(c.bin());
    Map<String, Object> fp = c.map("fingerprints");
    Ja3 ja3 = Ja3.of(hello);
    assertEquals(fp.get("ja3"), ja3.string());
    assertEquals(fp.get("ja3_hash"), ja3.hash());
    assertEquals(fp.get("ja3n"), ja3.normalized());
    assertEquals(fp.get("ja3n_hash"), ja3.normalizedHash());
    Ja4 ja4 = Ja4.of(hello);
    assertEquals(fp.get("ja4"), ja4.ja4());
    assertEquals(fp.get("ja4_r"), ja4.ja4r());
    assertEquals(fp.get("ja4_o"), ja4.ja4o());
    assertEquals(fp.get("ja4_ro"), ja4.ja4ro());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("captures")
  @SuppressWarnings("unchecked")
  void decodedFieldsMatchTheSummary(Capture c) throws Exception {
    ClientHello hello = ClientHello.parse(c.bin());
    Map<String, Object> t = c.map("tls_summary");
    Map<String, Object> raw = c.map("client_hello");
    assertEquals(hex(raw.get("legacy_version")), hello.legacyVersion());
    assertEquals(raw.get("random"), HexFormat.of().formatHex(hello.random()));
    assertEquals(raw.get("session_id"), HexFormat.of().formatHex(hello.sessionId()));
    assertEquals(
        hexes(raw.get("record_version") == null ? List.of() : List.of(raw.get("record_version"))),
        List.of(hello.recordVersion().getAsInt()));
    assertEquals(ints(raw.get("compression_methods")), hello.compressionMethods());
    List<Map<String, Object>> exts = (List<Map<String, Object>>) raw.get("extensions");
    assertEquals(exts.size(), hello.extensions().size());
    for (int i = 0; i < exts.size(); i++) {
      assertEquals(((Number) exts.get(i).get("type")).intValue(), hello.extensions().get(i).type());
      assertEquals(
          exts.get(i).get("data"), HexFormat.of().formatHex(hello.extensions().get(i).data()));
      assertEquals(exts.get(i).get("grease"), hello.extensions().get(i).isGrease());
    }

    assertEquals(t.get("sni"), hello.serverName().orElse(null));
    assertEquals(hexes(t.get("cipher_suites")), hello.cipherSuites());
    assertEquals(hexes(t.get("extension_order")), hello.extensionTypes());
    assertEquals(hexes(t.get("supported_groups")), hello.supportedGroups());
    List<Map<String, Object>> shares = (List<Map<String, Object>>) t.get("key_share");
    assertEquals(shares.size(), hello.keyShares().size());
    for (int i = 0; i < shares.size(); i++) {
      KeyShare share = hello.keyShares().get(i);
      assertEquals(hex(shares.get(i).get("group")), share.group());
      assertEquals(((Number) shares.get(i).get("key_len")).intValue(), share.keyLength());
      assertEquals(shares.get(i).get("grease"), ClientHello.isGrease(share.group()));
    }
    assertEquals(hexes(t.get("signature_algorithms")), hello.signatureAlgorithms());
    assertEquals(
        orEmpty(hexes(t.get("signature_algorithms_cert"))), hello.signatureAlgorithmsCert());
    assertEquals(
        orEmpty(hexes(t.get("delegated_credentials"))),
        hello.delegatedCredentialSignatureAlgorithms());
    assertEquals(hexes(t.get("supported_versions")), hello.supportedVersions());
    assertEquals(t.get("alpn"), hello.alpn());
    assertEquals(orEmpty(ints(t.get("psk_key_exchange_modes"))), hello.pskKeyExchangeModes());
    List<Integer> compression = new ArrayList<>();
    if (t.get("compress_certificate") != null) {
      for (Map<String, Object> a : (List<Map<String, Object>>) t.get("compress_certificate")) {
        compression.add(((Number) a.get("id")).intValue());
      }
    }
    assertEquals(compression, hello.certificateCompressionAlgorithms());
    Map<String, Object> alps = (Map<String, Object>) t.get("alps");
    if (alps == null) {
      assertTrue(hello.alpsCodepoint().isEmpty());
      assertEquals(List.of(), hello.alpsProtocols());
    } else {
      assertEquals(hex(alps.get("codepoint")), hello.alpsCodepoint().getAsInt());
      assertEquals(alps.get("protocols"), hello.alpsProtocols());
    }
    assertEquals(orEmpty(ints(t.get("ec_point_formats"))), hello.ecPointFormats());
    assertEquals(
        t.get("record_size_limit"),
        hello.recordSizeLimit().isPresent() ? (Object) hello.recordSizeLimit().getAsInt() : null);
    assertEquals(
        t.get("padding_len"),
        hello.paddingLength().isPresent() ? (Object) hello.paddingLength().getAsInt() : null);
    Map<String, Object> ech = (Map<String, Object>) t.get("ech");
    if (ech == null) {
      assertFalse(hello.hasEch());
      assertTrue(hello.echPayloadLength().isEmpty());
    } else {
      EncryptedClientHelloInfo info = hello.ech().orElseThrow();
      assertEquals("outer", ech.get("ech_type"));
      assertTrue(info.isOuter());
      assertEquals(hex(ech.get("kdf_id")), info.kdfId());
      assertEquals(hex(ech.get("aead_id")), info.aeadId());
      assertEquals(((Number) ech.get("config_id")).intValue(), info.configId());
      assertEquals(((Number) ech.get("enc_len")).intValue(), info.encLength());
      assertEquals(
          ((Number) ech.get("payload_len")).intValue(), hello.echPayloadLength().getAsInt());
    }
    Map<String, Object> grease = (Map<String, Object>) t.get("grease_positions");
    assertEquals(ints(grease.get("extensions")), positionsOfGrease(hello.extensionTypes()));
    assertEquals(ints(grease.get("cipher_suites")), positionsOfGrease(hello.cipherSuites()));
    assertEquals(ints(grease.get("supported_groups")), positionsOfGrease(hello.supportedGroups()));
    assertEquals(
        ints(grease.get("signature_algorithms")), positionsOfGrease(hello.signatureAlgorithms()));
  }

  static List<Integer> positionsOfGrease(List<Integer> values) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      if (ClientHello.isGrease(values.get(i))) {
        out.add(i);
      }
    }
    return out;
  }

  static int hex(Object s) {
    return Integer.parseInt((String) s, 16);
  }

  @SuppressWarnings("unchecked")
  static List<Integer> hexes(Object list) {
    if (list == null) {
      return null;
    }
    return ((List<Object>) list).stream().map(ClientHelloCaptureTest::hex).toList();
  }

  @SuppressWarnings("unchecked")
  static List<Integer> ints(Object list) {
    if (list == null) {
      return null;
    }
    return ((List<Object>) list).stream().map(o -> ((Number) o).intValue()).toList();
  }

  static List<Integer> orEmpty(List<Integer> l) {
    return l == null ? List.of() : l;
  }
}
