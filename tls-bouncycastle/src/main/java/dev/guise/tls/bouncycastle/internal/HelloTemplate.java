package dev.guise.tls.bouncycastle.internal;

import dev.guise.fingerprint.ClientHello;
import dev.guise.fingerprint.KeyShare;
import dev.guise.fingerprint.TlsExtension;
import dev.guise.fingerprint.TlsRandomisation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCrypto;

/**
 * A ClientHello to reproduce: the reference bytes of a browser (or a user's capture), checked once
 * for what this engine can send faithfully, with the facts BouncyCastle needs to negotiate it.
 *
 * <p>Which bytes are copied and which are made fresh for every connection (the reasoning behind
 * {@link HelloPlan}):
 *
 * <ul>
 *   <li><b>Fresh, because they are secret or per-connection by nature:</b> client random and legacy
 *       session id (BouncyCastle makes them), the key shares (BouncyCastle generates a real key
 *       pair for every non-GREASE share in the template, X25519MLKEM768 included), the server name
 *       (the host of the request), the ALPN list when the request names one.
 *   <li><b>Fresh, because the browser randomises them</b> (copying them would make every connection
 *       from Guise share one value a browser never repeats): the GREASE values in cipher suites,
 *       groups, key share, versions, signature algorithms and the two GREASE extensions; the ECH
 *       GREASE extension's config id, encapsulated key and payload (and, per browser, its payload
 *       length or AEAD); Chrome's extension order.
 *   <li><b>Recomputed:</b> the padding extension, whose length depends on the rest of the hello
 *       (the host name changes it), by the rule the browser's TLS library uses.
 *   <li><b>Copied byte for byte:</b> everything else: legacy version, cipher suite order,
 *       compression methods, every other extension's data (status_request, SCT, point formats,
 *       compress_certificate, record_size_limit, delegated_credentials, trust anchors, ALPS
 *       protocols, PSK modes, renegotiation_info, the GREASE extensions' payloads). These are
 *       constants of a browser build; regenerating them could only introduce differences.
 * </ul>
 *
 * <p>Anything the engine cannot honour after sending it is refused here, naming the extension,
 * instead of being sent and then mishandled (for example {@code pre_shared_key} in the template: a
 * captured ticket cannot be replayed; Guise offers its own tickets, shaped after the browser's
 * resumed hello).
 *
 * <p>Immutable and thread-safe.
 */
final class HelloTemplate {

  static final int EXT_COOKIE = 44;
  private static final int COMPRESSION_ZLIB = 1;
  private static final int COMPRESSION_BROTLI = 2;
  private static final int COMPRESSION_ZSTD = 3;

  final String name;

  /** What is fresh per connection beyond the always-fresh fields; see {@link HelloPlan}. */
  final TlsRandomisation randomisation;

  final ClientHello reference;
  final int legacyVersion;
  final List<Integer> cipherSuites; // wire order, GREASE kept as placeholders
  final List<TlsExtension> extensions; // wire order of the reference
  final int[] offeredCipherSuites; // no GREASE
  final ProtocolVersion[] versions;
  final int[] supportedGroups; // no GREASE
  final List<Integer> keyShareGroups; // no GREASE, wire order
  final List<Integer> signatureAlgorithms; // no GREASE
  final List<Integer> signatureAlgorithmsCert; // no GREASE
  final List<String> alpn;
  final List<Integer> certificateCompression;
  final int alpsCodepoint; // -1 when none
  final List<String> alpsProtocols;
  final boolean extendedMasterSecret;

  /**
   * Whether the browser sends one X25519 public key in two shares: its hybrid share's X25519 half
   * equals its X25519 share (Firefox 153; Chromium makes a key pair per share).
   */
  final boolean oneX25519Key;

  /** HTTP/2 settings the browser sends as its ALPS value for h2 (a SETTINGS frame). */
  final byte[] alpsH2Settings;

  /**
   * The browser's resumed hello, when one was captured: only then does the engine resume (it knows
   * how this browser's resumed hello looks).
   */
  final Optional<ClientHello> resumed;

  /** Whether the resumed hello keeps session_ticket (Chromium: empty; Firefox drops it). */
  final boolean resumedKeepsSessionTicket;

  /**
   * The ECH GREASE payload length of a resumed hello for a browser whose length is fixed per hello
   * size (NSS: 239 in a full hello, 495 when resuming with a 192-byte ticket); -1 to draw it as in
   * a full hello (BoringSSL draws it the same way when resuming).
   */
  final int resumedEchPayloadLength;

  private HelloTemplate(
      String name,
      TlsRandomisation randomisation,
      ClientHello hello,
      byte[] alpsH2Settings,
      Optional<ClientHello> resumed) {
    this.name = name;
    this.resumed = resumed;
    this.resumedKeepsSessionTicket =
        resumed.map(r -> r.hasExtension(ClientHello.EXT_SESSION_TICKET)).orElse(false);
    this.resumedEchPayloadLength =
        randomisation.echPayloadLengths().size() <= 1
            ? resumed.flatMap(ClientHello::ech).map(e -> e.payloadLength()).orElse(-1)
            : -1;
    this.randomisation = randomisation;
    this.reference = hello;
    this.legacyVersion = hello.legacyVersion();
    this.cipherSuites = hello.cipherSuites();
    this.extensions = hello.extensions();
    this.offeredCipherSuites =
        hello.cipherSuites().stream()
            .filter(c -> !ClientHello.isGrease(c))
            .mapToInt(c -> c)
            .toArray();
    this.supportedGroups =
        hello.supportedGroups().stream()
            .filter(g -> !ClientHello.isGrease(g))
            .mapToInt(g -> g)
            .toArray();
    this.keyShareGroups =
        hello.keyShares().stream()
            .map(KeyShare::group)
            .filter(g -> !ClientHello.isGrease(g))
            .toList();
    this.signatureAlgorithms = withoutGrease(hello.signatureAlgorithms());
    this.signatureAlgorithmsCert = withoutGrease(hello.signatureAlgorithmsCert());
    this.alpn = hello.alpn();
    this.certificateCompression = hello.certificateCompressionAlgorithms();
    this.alpsCodepoint = hello.alpsCodepoint().orElse(-1);
    this.alpsProtocols = hello.alpsProtocols();
    this.extendedMasterSecret = hello.hasExtension(23);
    this.oneX25519Key = sendsOneX25519Key(hello);
    this.alpsH2Settings = alpsH2Settings.clone();
    this.versions = versionsOf(hello);
  }

  /**
   * Checks {@code hello} and makes a template of it.
   *
   * @param alpsH2Settings the value to send for h2 when a server negotiates ALPS
   * @throws UnsupportedHelloException naming the first extension or field this engine cannot send
   *     faithfully or honour afterwards
   */
  static HelloTemplate of(
      String name,
      TlsRandomisation randomisation,
      ClientHello hello,
      TlsCrypto crypto,
      byte[] alpsH2Settings) {
    return of(name, randomisation, hello, crypto, alpsH2Settings, Optional.empty());
  }

  /** As above, with the browser's resumed hello (see {@link #resumed}). */
  static HelloTemplate of(
      String name,
      TlsRandomisation randomisation,
      ClientHello hello,
      TlsCrypto crypto,
      byte[] alpsH2Settings,
      Optional<ClientHello> resumed) {
    check(hello, crypto);
    return new HelloTemplate(name, randomisation, hello, alpsH2Settings, resumed);
  }

  boolean has(int extensionType) {
    return reference.hasExtension(extensionType);
  }

  Optional<TlsExtension> extension(int type) {
    return reference.extension(type);
  }

  private static List<Integer> withoutGrease(List<Integer> values) {
    return values.stream().filter(v -> !ClientHello.isGrease(v)).toList();
  }

  private static ProtocolVersion[] versionsOf(ClientHello hello) {
    List<Integer> wire = withoutGrease(hello.supportedVersions());
    if (wire.isEmpty()) {
      wire = List.of(hello.legacyVersion());
    }
    List<ProtocolVersion> out = new ArrayList<>();
    for (int v : wire) {
      out.add(ProtocolVersion.get(v >>> 8, v & 0xff));
    }
    return out.toArray(new ProtocolVersion[0]);
  }

  private static void check(ClientHello hello, TlsCrypto crypto) {
    if (!hello.compressionMethods().equals(List.of(0))) {
      throw new UnsupportedHelloException(
          "compression methods " + hello.compressionMethods() + ": only [0] (null) is supported");
    }
    Set<Integer> seen = new LinkedHashSet<>();
    for (TlsExtension e : hello.extensions()) {
      seen.add(e.type());
      checkExtension(hello, e);
    }
    if (!seen.contains(ClientHello.EXT_SUPPORTED_VERSIONS) && hello.legacyVersion() > 0x0303) {
      throw new UnsupportedHelloException(
          "legacy_version above TLS 1.2 without supported_versions");
    }
    for (ProtocolVersion v : versionsOf(hello)) {
      if (!v.isTLS()
          || !ProtocolVersion.TLSv10.isEqualOrEarlierVersionOf(v)
          || !v.isEqualOrEarlierVersionOf(ProtocolVersion.TLSv13)) {
        throw new UnsupportedHelloException(
            "supported_versions: "
                + v
                + " is not a TLS version this engine speaks (TLS 1.0 to 1.3)");
      }
    }
    for (int suite : hello.cipherSuites()) {
      if (ClientHello.isGrease(suite)
          || suite == CipherSuite.TLS_EMPTY_RENEGOTIATION_INFO_SCSV
          || suite == CipherSuite.TLS_FALLBACK_SCSV) {
        continue;
      }
      if (TlsUtils.getSupportedCipherSuites(crypto, new int[] {suite}).length == 0) {
        throw new UnsupportedHelloException(
            String.format("cipher suite 0x%04x is not supported by BouncyCastle", suite));
      }
    }
    // Never advertise a group whose key share cannot be produced: a server may pick any of them,
    // directly or through a HelloRetryRequest.
    for (int group : hello.supportedGroups()) {
      if (!ClientHello.isGrease(group) && !canProduce(crypto, group)) {
        throw new UnsupportedHelloException(
            String.format(
                "supported_groups: group 0x%04x (%s) cannot be produced by this BouncyCastle"
                    + " crypto",
                group, NamedGroup.getText(group)));
      }
    }
    for (KeyShare share : hello.keyShares()) {
      if (ClientHello.isGrease(share.group())) {
        continue;
      }
      if (!hello.supportedGroups().contains(share.group())) {
        throw new UnsupportedHelloException(
            String.format("key_share: group 0x%04x is not in supported_groups", share.group()));
      }
    }
  }

  /** See {@link #oneX25519Key}. */
  static boolean sendsOneX25519Key(ClientHello hello) {
    byte[] plain = null;
    for (KeyShare share : hello.keyShares()) {
      if (share.group() == NamedGroup.x25519) {
        plain = share.key();
      }
    }
    if (plain == null || plain.length != 32) {
      return false;
    }
    for (KeyShare share : hello.keyShares()) {
      int group = share.group();
      if (!NamedGroup.refersToASpecificHybrid(group)) {
        continue;
      }
      byte[] key = share.key();
      if (key.length <= plain.length) {
        continue;
      }
      if (NamedGroup.getHybridFirst(group) == NamedGroup.x25519
          && Arrays.equals(key, 0, plain.length, plain, 0, plain.length)) {
        return true;
      }
      if (NamedGroup.getHybridSecond(group) == NamedGroup.x25519
          && Arrays.equals(key, key.length - plain.length, key.length, plain, 0, plain.length)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code crypto} can make a key share for {@code group} (a hybrid: both halves). */
  static boolean canProduce(TlsCrypto crypto, int group) {
    if (NamedGroup.refersToASpecificHybrid(group)) {
      return crypto.hasNamedGroup(NamedGroup.getHybridFirst(group))
          && crypto.hasNamedGroup(NamedGroup.getHybridSecond(group));
    }
    return crypto.hasNamedGroup(group);
  }

  private static void checkExtension(ClientHello hello, TlsExtension e) {
    int type = e.type();
    if (ClientHello.isGrease(type)) {
      return;
    }
    switch (type) {
      case ClientHello.EXT_SERVER_NAME,
          ClientHello.EXT_STATUS_REQUEST,
          ClientHello.EXT_SUPPORTED_GROUPS,
          ClientHello.EXT_EC_POINT_FORMATS,
          ClientHello.EXT_SIGNATURE_ALGORITHMS,
          ClientHello.EXT_ALPN,
          18, // signed_certificate_timestamp
          ClientHello.EXT_PADDING,
          22, // encrypt_then_mac: BouncyCastle implements it
          23, // extended_master_secret
          ClientHello.EXT_RECORD_SIZE_LIMIT,
          ClientHello.EXT_DELEGATED_CREDENTIALS,
          ClientHello.EXT_SUPPORTED_VERSIONS,
          ClientHello.EXT_PSK_KEY_EXCHANGE_MODES,
          47, // certificate_authorities
          ClientHello.EXT_SIGNATURE_ALGORITHMS_CERT,
          ClientHello.EXT_KEY_SHARE,
          ClientHello.EXT_ALPS_OLD,
          ClientHello.EXT_ALPS,
          0xca34 -> { // trust_anchors (draft-ietf-tls-trust-anchor-ids)
        // sent as captured (or regenerated); nothing further to honour
      }
      case ClientHello.EXT_COMPRESS_CERTIFICATE -> {
        for (int algorithm : hello.certificateCompressionAlgorithms()) {
          if (algorithm != COMPRESSION_ZLIB
              && algorithm != COMPRESSION_BROTLI
              && algorithm != COMPRESSION_ZSTD) {
            throw new UnsupportedHelloException(
                "compress_certificate: algorithm "
                    + algorithm
                    + " cannot be decompressed (zlib, brotli and zstd can)");
          }
        }
      }
      case ClientHello.EXT_SESSION_TICKET -> {
        if (e.length() != 0) {
          throw new UnsupportedHelloException(
              "session_ticket carries a ticket: resumption is not supported");
        }
      }
      case ClientHello.EXT_RENEGOTIATION_INFO -> {
        if (!HexFormat.of().formatHex(e.data()).equals("00")) {
          throw new UnsupportedHelloException(
              "renegotiation_info is not the empty initial value: renegotiation is not supported");
        }
      }
      case ClientHello.EXT_ENCRYPTED_CLIENT_HELLO -> {
        if (hello.ech().isEmpty() || !hello.ech().get().isOuter()) {
          throw new UnsupportedHelloException(
              "encrypted_client_hello is not an outer (GREASE-shaped) extension");
        }
      }
      case ClientHello.EXT_PRE_SHARED_KEY ->
          throw new UnsupportedHelloException(
              "pre_shared_key (0x0029): a captured ticket cannot be replayed (Guise offers the"
                  + " tickets it receives itself)");
      case 42 -> throw new UnsupportedHelloException("early_data (0x002a): 0-RTT is not supported");
      case EXT_COOKIE ->
          throw new UnsupportedHelloException(
              "cookie (0x002c) belongs only in a second ClientHello");
      case 49 ->
          throw new UnsupportedHelloException(
              "post_handshake_auth (0x0031): client certificates are not supported");
      default ->
          throw new UnsupportedHelloException(
              String.format(
                  "extension 0x%04x (%d) is not supported by the bouncycastle engine", type, type));
    }
  }
}
