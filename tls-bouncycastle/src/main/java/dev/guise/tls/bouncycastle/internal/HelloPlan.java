package dev.guise.tls.bouncycastle.internal;

import dev.guise.fingerprint.ClientHello;
import dev.guise.fingerprint.EncryptedClientHelloInfo;
import dev.guise.fingerprint.KeyShare;
import dev.guise.fingerprint.TlsExtension;
import dev.guise.tls.bouncycastle.internal.crypto.NativeCrypto;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * One connection's ClientHello: the template with this connection's random choices fixed (GREASE
 * values, extension order, ECH GREASE bytes), encoded around the key shares, random and session id
 * BouncyCastle made.
 *
 * <p>The choices are made once, when the plan is created, so that a second ClientHello after a
 * HelloRetryRequest repeats them as the browsers do (BoringSSL and NSS both resend the same GREASE
 * ECH extension and keep their extension order); only the key share changes (one share for the
 * group the server asked for, no GREASE share) and a cookie is added when the server sent one.
 *
 * <p>GREASE, as BoringSSL draws it: each GREASE slot (cipher, group, first extension, second
 * extension, version, signature algorithm) takes {@code 0x?A?A} with the nibble from a random byte,
 * independently, except that the second GREASE extension is changed when it would equal the first
 * (a hello may not repeat an extension type). The key share's GREASE entry uses the group slot, as
 * in every Chrome capture.
 *
 * <p>Not thread-safe; one plan per connection.
 */
final class HelloPlan {
  private static final int AEAD_AES_128_GCM = 0x0001;
  private static final int AEAD_CHACHA20_POLY1305 = 0x0003;

  private final HelloTemplate template;
  private final String serverName; // null: no SNI (IP literal host)
  private final List<String> alpn;
  private final List<String> alpsProtocols;
  private final List<TlsExtension> order; // this connection's extension order (template data)
  private final int cookieSlot; // index in order before which a cookie goes on retry
  private final int greaseCipher;
  private final int greaseGroup;
  private final int greaseExtension1;
  private final int greaseExtension2;
  private final int greaseVersion;
  private final int greaseSignature;
  private final SecureRandom random;
  private final byte[] echExtension; // null when the template has none

  /**
   * A ticket to offer in the hello: {@code pre_shared_key} with one identity and one binder, the
   * binder left as zeros for the caller to fill in (it covers the hello up to the binders).
   */
  record PskOffer(byte[] identity, long obfuscatedAge, int binderLength) {}

  private final boolean resuming;

  HelloPlan(HelloTemplate template, String serverName, List<String> alpn, SecureRandom random) {
    this(template, serverName, alpn, random, false);
  }

  /**
   * @param resuming whether this connection offers a ticket (the ECH GREASE length of a browser
   *     whose length follows the hello size is then the resumed hello's)
   */
  HelloPlan(
      HelloTemplate template,
      String serverName,
      List<String> alpn,
      SecureRandom random,
      boolean resuming) {
    this.resuming = resuming;
    this.template = template;
    this.serverName = serverName;
    this.alpn = List.copyOf(alpn);
    this.alpsProtocols = template.alpsProtocols.stream().filter(alpn::contains).toList();
    this.random = random;
    this.greaseCipher = greaseValue();
    this.greaseGroup = greaseValue();
    this.greaseExtension1 = greaseValue();
    int second = greaseValue();
    this.greaseExtension2 = second == greaseExtension1 ? second ^ 0x1010 : second;
    this.greaseVersion = greaseValue();
    this.greaseSignature = greaseValue();

    List<TlsExtension> ordered = new ArrayList<>(template.extensions);
    int firstGrease = -1;
    int lastGrease = -1;
    for (int i = 0; i < ordered.size(); i++) {
      if (ordered.get(i).isGrease()) {
        lastGrease = i;
        if (firstGrease < 0) {
          firstGrease = i;
        }
      }
    }
    if (template.randomisation.permutesExtensions() && lastGrease > firstGrease) {
      // Fisher-Yates over the extensions strictly between the two GREASE extensions. BoringSSL
      // permutes its whole extension table, cookie included, so the cookie's place is drawn too.
      int from = firstGrease + 1;
      int to = lastGrease; // exclusive
      for (int i = to - 1; i > from; i--) {
        int j = from + random.nextInt(i - from + 1);
        TlsExtension t = ordered.get(i);
        ordered.set(i, ordered.get(j));
        ordered.set(j, t);
      }
      this.cookieSlot = from + random.nextInt(to - from + 1);
    } else {
      // NSS writes the cookie right after signature_algorithms.
      int slot = ordered.size();
      for (int i = 0; i < ordered.size(); i++) {
        if (ordered.get(i).type() == ClientHello.EXT_SIGNATURE_ALGORITHMS) {
          slot = i + 1;
        }
      }
      this.cookieSlot = slot;
    }
    this.order = List.copyOf(ordered);
    this.echExtension = template.reference.ech().map(this::echGrease).orElse(null);
  }

  /** {@code 0x?A?A} for a random nibble, the way BoringSSL derives GREASE from its seed. */
  private int greaseValue() {
    int b = (random.nextInt(256) & 0xf0) | 0x0a;
    return b << 8 | b;
  }

  private byte[] echGrease(EncryptedClientHelloInfo info) {
    // The KEM/KDF ids are the capture's (constants of the browser build); the AEAD id and payload
    // length vary as the profile's TlsRandomisation says.
    int kdf = info.kdfId();
    int aead = info.aeadId();
    if (template.randomisation.echAeadIdVaries()) {
      aead = random.nextBoolean() ? AEAD_AES_128_GCM : AEAD_CHACHA20_POLY1305; // NSS's two choices
    }
    List<Integer> lengths = template.randomisation.echPayloadLengths();
    int payloadLength =
        lengths.isEmpty() ? info.payloadLength() : lengths.get(random.nextInt(lengths.size()));
    if (resuming && template.resumedEchPayloadLength >= 0) {
      payloadLength = template.resumedEchPayloadLength;
    }
    byte[] enc;
    if (info.encLength() == X25519.POINT_SIZE) {
      // A real X25519 public key: random bytes would be told apart by their top bit. BoringSSL's
      // (through Conscrypt) when it is on the path: a third of the time of BouncyCastle's.
      enc = NativeCrypto.find().map(NativeCrypto::x25519PublicKey).orElseGet(this::x25519PublicKey);
    } else {
      enc = new byte[info.encLength()];
      random.nextBytes(enc);
    }
    byte[] payload = new byte[payloadLength];
    random.nextBytes(payload);
    ByteArrayOutputStream out = new ByteArrayOutputStream(10 + enc.length + payload.length);
    out.write(0); // outer
    u16(out, kdf);
    u16(out, aead);
    out.write(random.nextInt(256)); // config_id
    u16(out, enc.length);
    out.writeBytes(enc);
    u16(out, payload.length);
    out.writeBytes(payload);
    return out.toByteArray();
  }

  /** BouncyCastle's X25519 public key of a random private key that is then dropped. */
  private byte[] x25519PublicKey() {
    byte[] secret = new byte[X25519.SCALAR_SIZE];
    random.nextBytes(secret);
    byte[] publicKey = new byte[X25519.POINT_SIZE];
    X25519.generatePublicKey(secret, 0, publicKey, 0);
    return publicKey;
  }

  /** The ALPS protocols this connection offers (the template's, limited to the ALPN list). */
  List<String> alpsProtocols() {
    return alpsProtocols;
  }

  List<String> alpn() {
    return alpn;
  }

  /** The server_name extension data, or null when no SNI is sent. */
  byte[] serverNameData() {
    if (serverName == null) {
      return null;
    }
    byte[] host = serverName.getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream out = new ByteArrayOutputStream(host.length + 5);
    u16(out, host.length + 3);
    out.write(0); // host_name
    u16(out, host.length);
    out.writeBytes(host);
    return out.toByteArray();
  }

  byte[] alpnData() {
    return protocolList(alpn);
  }

  byte[] alpsData() {
    return protocolList(alpsProtocols);
  }

  byte[] echData() {
    return echExtension == null ? null : echExtension.clone();
  }

  /**
   * The ClientHello handshake message (with its 4-byte header).
   *
   * @param keyShares what BouncyCastle generated, by group
   * @param cookie the HelloRetryRequest's cookie, or null
   * @param retry whether this is the second ClientHello (no GREASE key share)
   */
  byte[] encode(
      byte[] clientRandom,
      byte[] sessionId,
      Map<Integer, byte[]> keyShares,
      byte[] cookie,
      boolean retry) {
    return encode(clientRandom, sessionId, keyShares, cookie, retry, null);
  }

  /**
   * As above; with {@code psk} the hello is the browser's resumed hello: the same extensions in the
   * same order (Chrome's still permuted), session_ticket dropped where the browser drops it, and
   * pre_shared_key last (RFC 8446 requires it there).
   */
  byte[] encode(
      byte[] clientRandom,
      byte[] sessionId,
      Map<Integer, byte[]> keyShares,
      byte[] cookie,
      boolean retry,
      PskOffer psk) {
    List<TlsExtension> out = new ArrayList<>(order.size() + 2);
    int paddingIndex = -1;
    boolean firstGreaseExtension = true;
    for (int i = 0; i <= order.size(); i++) {
      if (retry && cookie != null && i == cookieSlot) {
        out.add(new TlsExtension(HelloTemplate.EXT_COOKIE, opaque16(cookie)));
      }
      if (i == order.size()) {
        break;
      }
      TlsExtension e = order.get(i);
      int type = e.type();
      if (psk != null && type == ClientHello.EXT_SESSION_TICKET) {
        if (template.resumedKeepsSessionTicket) {
          out.add(e);
        }
        continue;
      }
      if (e.isGrease()) {
        out.add(
            new TlsExtension(firstGreaseExtension ? greaseExtension1 : greaseExtension2, e.data()));
        firstGreaseExtension = false;
        continue;
      }
      switch (type) {
        case ClientHello.EXT_SERVER_NAME -> {
          byte[] sni = serverNameData();
          if (sni != null) {
            out.add(new TlsExtension(type, sni));
          }
        }
        case ClientHello.EXT_ALPN -> out.add(new TlsExtension(type, alpnData()));
        case ClientHello.EXT_ALPS, ClientHello.EXT_ALPS_OLD -> {
          if (!alpsProtocols.isEmpty()) {
            out.add(new TlsExtension(type, alpsData()));
          }
        }
        case ClientHello.EXT_SUPPORTED_GROUPS ->
            out.add(
                new TlsExtension(
                    type, u16List(2, template.reference.supportedGroups(), greaseGroup)));
        case ClientHello.EXT_SIGNATURE_ALGORITHMS ->
            out.add(
                new TlsExtension(
                    type, u16List(2, template.reference.signatureAlgorithms(), greaseSignature)));
        case ClientHello.EXT_SIGNATURE_ALGORITHMS_CERT ->
            out.add(
                new TlsExtension(
                    type,
                    u16List(2, template.reference.signatureAlgorithmsCert(), greaseSignature)));
        case ClientHello.EXT_SUPPORTED_VERSIONS ->
            out.add(
                new TlsExtension(
                    type, u16List(1, template.reference.supportedVersions(), greaseVersion)));
        case ClientHello.EXT_KEY_SHARE ->
            out.add(new TlsExtension(type, keyShareData(keyShares, retry)));
        case ClientHello.EXT_ENCRYPTED_CLIENT_HELLO ->
            out.add(new TlsExtension(type, echExtension));
        case ClientHello.EXT_PADDING -> {
          paddingIndex = out.size();
          out.add(new TlsExtension(type, new byte[0])); // sized below
        }
        default -> out.add(e);
      }
    }
    if (psk != null) {
      out.add(new TlsExtension(ClientHello.EXT_PRE_SHARED_KEY, preSharedKeyData(psk)));
    }
    List<Integer> suites = new ArrayList<>(template.cipherSuites.size());
    for (int c : template.cipherSuites) {
      suites.add(ClientHello.isGrease(c) ? greaseCipher : c);
    }
    byte[] message = encodeMessage(clientRandom, sessionId, suites, out);
    if (paddingIndex >= 0) {
      // The rule of BoringSSL and OpenSSL: a hello of 256..511 bytes is padded to 512, because some
      // middleboxes choke on those lengths; outside that range the padding extension is left out.
      int unpadded = message.length - 4; // the empty padding extension's header is counted
      if (unpadded > 0xff && unpadded < 0x200) {
        int padding = 0x200 - unpadded;
        padding = padding >= 5 ? padding - 4 : 1;
        out.set(paddingIndex, new TlsExtension(ClientHello.EXT_PADDING, new byte[padding]));
      } else {
        out.remove(paddingIndex);
      }
      message = encodeMessage(clientRandom, sessionId, suites, out);
    }
    return message;
  }

  /**
   * One identity (the ticket and its obfuscated age) and one zero binder of the PSK's hash size.
   */
  private static byte[] preSharedKeyData(PskOffer psk) {
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(11 + psk.identity().length + psk.binderLength());
    u16(out, 2 + psk.identity().length + 4);
    u16(out, psk.identity().length);
    out.writeBytes(psk.identity());
    u16(out, (int) (psk.obfuscatedAge() >>> 16));
    u16(out, (int) psk.obfuscatedAge());
    u16(out, 1 + psk.binderLength());
    out.write(psk.binderLength());
    out.writeBytes(new byte[psk.binderLength()]);
    return out.toByteArray();
  }

  private byte[] keyShareData(Map<Integer, byte[]> keyShares, boolean retry) {
    ByteArrayOutputStream list = new ByteArrayOutputStream(1400);
    if (retry) {
      if (keyShares.size() != 1) {
        throw new IllegalStateException("a retried ClientHello carries exactly one key share");
      }
      for (Map.Entry<Integer, byte[]> share : keyShares.entrySet()) {
        keyShareEntry(list, share.getKey(), share.getValue());
      }
    } else {
      for (KeyShare share : template.reference.keyShares()) {
        if (ClientHello.isGrease(share.group())) {
          keyShareEntry(list, greaseGroup, share.key()); // the capture's dummy byte
          continue;
        }
        byte[] key = keyShares.get(share.group());
        if (key == null) {
          throw new IllegalStateException(
              String.format("BouncyCastle made no key share for group 0x%04x", share.group()));
        }
        keyShareEntry(list, share.group(), key);
      }
    }
    return opaque16(list.toByteArray());
  }

  private static void keyShareEntry(ByteArrayOutputStream out, int group, byte[] key) {
    u16(out, group);
    u16(out, key.length);
    out.writeBytes(key);
  }

  /**
   * The handshake message, encoded by the fingerprint module's {@link ClientHello} (the one
   * ClientHello encoder, which also parses it back: a plan that would not parse fails here, before
   * anything is sent). Compression: null only, as every TLS 1.3 client sends.
   */
  private byte[] encodeMessage(
      byte[] clientRandom, byte[] sessionId, List<Integer> suites, List<TlsExtension> extensions) {
    // Written once, not parsed again: the plan's parts are what its tests compare with captures.
    return ClientHello.encode(
        template.legacyVersion, clientRandom, sessionId, suites, List.of(0), extensions);
  }

  private static byte[] u16List(int lengthBytes, List<Integer> values, int grease) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(2 + values.size() * 2);
    int length = values.size() * 2;
    if (lengthBytes == 1) {
      out.write(length);
    } else {
      u16(out, length);
    }
    for (int v : values) {
      u16(out, ClientHello.isGrease(v) ? grease : v);
    }
    return out.toByteArray();
  }

  static byte[] protocolList(List<String> protocols) {
    ByteArrayOutputStream list = new ByteArrayOutputStream();
    for (String p : protocols) {
      byte[] b = p.getBytes(StandardCharsets.ISO_8859_1);
      list.write(b.length);
      list.writeBytes(b);
    }
    return opaque16(list.toByteArray());
  }

  static byte[] opaque16(byte[] data) {
    byte[] out = new byte[2 + data.length];
    out[0] = (byte) (data.length >>> 8);
    out[1] = (byte) data.length;
    System.arraycopy(data, 0, out, 2, data.length);
    return out;
  }

  static void u16(ByteArrayOutputStream out, int v) {
    out.write(v >>> 8 & 0xff);
    out.write(v & 0xff);
  }
}
