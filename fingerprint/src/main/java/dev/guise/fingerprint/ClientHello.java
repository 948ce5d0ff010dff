package dev.guise.fingerprint;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * An immutable, parsed TLS ClientHello: the raw fields in wire order (GREASE values kept) plus
 * decoded views of the extensions that fingerprints and engines care about.
 *
 * <p>Parsing is strict and bounded: every length is checked against what encloses it, work is
 * linear in the input, and anything malformed ends in a {@link MalformedClientHelloException} that
 * names the offset and the problem. Strict means: the extensions block must end exactly at the end
 * of the message, an extension type may appear only once (RFC 8446 section 4.2), the decoded
 * extensions listed below must be well formed, and nothing may follow the hello in the input.
 *
 * <p>{@link #toBytes()} re-encodes the handshake message; because the parser keeps every byte
 * (including the raw data of every extension) the result equals the parsed handshake message byte
 * for byte. {@link #of} builds a hello from fields, which is how an engine produces a browser-exact
 * hello from a {@link BrowserProfile#referenceHello() reference} with fresh random values.
 *
 * <p>Instances are immutable and thread-safe; all array accessors return copies.
 */
public final class ClientHello {
  /** TLS extension type codes used by the decoded views. */
  public static final int EXT_SERVER_NAME = 0;

  public static final int EXT_STATUS_REQUEST = 5;
  public static final int EXT_SUPPORTED_GROUPS = 10;
  public static final int EXT_EC_POINT_FORMATS = 11;
  public static final int EXT_SIGNATURE_ALGORITHMS = 13;
  public static final int EXT_ALPN = 16;
  public static final int EXT_PADDING = 21;
  public static final int EXT_COMPRESS_CERTIFICATE = 27;
  public static final int EXT_RECORD_SIZE_LIMIT = 28;
  public static final int EXT_DELEGATED_CREDENTIALS = 34;
  public static final int EXT_SESSION_TICKET = 35;
  public static final int EXT_PRE_SHARED_KEY = 41;
  public static final int EXT_SUPPORTED_VERSIONS = 43;
  public static final int EXT_PSK_KEY_EXCHANGE_MODES = 45;
  public static final int EXT_SIGNATURE_ALGORITHMS_CERT = 50;
  public static final int EXT_KEY_SHARE = 51;
  public static final int EXT_ALPS_OLD = 17513;
  public static final int EXT_ALPS = 17613;
  public static final int EXT_ENCRYPTED_CLIENT_HELLO = 0xfe0d;
  public static final int EXT_RENEGOTIATION_INFO = 0xff01;

  private static final int HANDSHAKE_CLIENT_HELLO = 1;
  private static final int CONTENT_TYPE_HANDSHAKE = 22;
  private static final int MAX_RECORD_FRAGMENT = 1 << 14;

  private final int recordVersion; // -1 when parsed from a bare handshake message
  private final int legacyVersion;
  private final byte[] random;
  private final byte[] sessionId;
  private final List<Integer> cipherSuites;
  private final List<Integer> compressionMethods;
  private final boolean extensionsBlockPresent;
  private final List<TlsExtension> extensions;

  // Decoded views, filled in by decodeExtensions().
  private String serverName;
  private List<String> alpn = List.of();
  private List<Integer> supportedGroups = List.of();
  private List<KeyShare> keyShares = List.of();
  private List<Integer> signatureAlgorithms = List.of();
  private List<Integer> signatureAlgorithmsCert = List.of();
  private List<Integer> supportedVersions = List.of();
  private List<Integer> pskKeyExchangeModes = List.of();
  private List<PskIdentity> pskIdentities = List.of();
  private List<Integer> pskBinderLengths = List.of();
  private List<Integer> certificateCompressionAlgorithms = List.of();
  private List<Integer> ecPointFormats = List.of();
  private int alpsCodepoint = -1;
  private List<String> alpsProtocols = List.of();
  private int recordSizeLimit = -1;
  private List<Integer> delegatedCredentialSignatureAlgorithms = List.of();
  private int paddingLength = -1;
  private EncryptedClientHelloInfo ech;

  private ClientHello(
      int recordVersion,
      int legacyVersion,
      byte[] random,
      byte[] sessionId,
      List<Integer> cipherSuites,
      List<Integer> compressionMethods,
      boolean extensionsBlockPresent,
      List<TlsExtension> extensions) {
    this.recordVersion = recordVersion;
    this.legacyVersion = legacyVersion;
    this.random = random;
    this.sessionId = sessionId;
    this.cipherSuites = List.copyOf(cipherSuites);
    this.compressionMethods = List.copyOf(compressionMethods);
    this.extensionsBlockPresent = extensionsBlockPresent;
    this.extensions = List.copyOf(extensions);
  }

  // ---------------------------------------------------------------------------------------------
  // Parsing

  /**
   * Parses a ClientHello from TLS record(s) (first byte 0x16; the hello may span several handshake
   * records) or from a bare handshake message (first byte 0x01).
   *
   * @throws MalformedClientHelloException if the bytes are not exactly one well-formed ClientHello
   */
  public static ClientHello parse(byte[] input) throws MalformedClientHelloException {
    Objects.requireNonNull(input, "input");
    if (input.length == 0) {
      throw new MalformedClientHelloException(0, true, "empty input");
    }
    int first = input[0] & 0xff;
    if (first == CONTENT_TYPE_HANDSHAKE) {
      return parseRecords(input);
    }
    if (first == HANDSHAKE_CLIENT_HELLO) {
      return parseHandshake(input, -1);
    }
    throw new MalformedClientHelloException(
        0,
        true,
        String.format(
            "first byte 0x%02x is neither a handshake record (0x16) nor a ClientHello (0x01)",
            first));
  }

  /**
   * Like {@link #parse(byte[])} for hex text. White space, colons and an optional {@code 0x} prefix
   * are ignored.
   *
   * @throws MalformedClientHelloException if the text is not hex or the bytes are malformed
   */
  public static ClientHello parseHex(String hex) throws MalformedClientHelloException {
    Objects.requireNonNull(hex, "hex");
    String s = hex.strip();
    if (s.startsWith("0x") || s.startsWith("0X")) {
      s = s.substring(2);
    }
    StringBuilder clean = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c) || c == ':') {
        continue;
      }
      if (Character.digit(c, 16) < 0) {
        throw new MalformedClientHelloException(i, true, "not a hex digit: '" + c + "'");
      }
      clean.append(c);
    }
    if (clean.length() % 2 != 0) {
      throw new MalformedClientHelloException(clean.length() / 2, true, "odd number of hex digits");
    }
    return parse(HexFormat.of().parseHex(clean));
  }

  private static ClientHello parseRecords(byte[] input) throws MalformedClientHelloException {
    ByteArrayOutputStream message = new ByteArrayOutputStream(input.length);
    Reader in = new Reader(input, 0, input.length, 0, true);
    int recordVersion = -1;
    int needed = -1; // total handshake message length, once its header has been seen
    while (needed < 0 || message.size() < needed) {
      if (!in.hasRemaining()) {
        throw in.error(
            needed < 0
                ? "input ends before the handshake header is complete"
                : "input ends after " + message.size() + " of " + needed + " handshake bytes");
      }
      int recordStart = in.position();
      int type = in.u8("record content type");
      if (type != CONTENT_TYPE_HANDSHAKE) {
        throw in.errorAt(
            recordStart, "record content type " + type + " is not handshake (22) inside the hello");
      }
      int version = in.u16("record version");
      if (version >> 8 != 3 || (version & 0xff) > 4) {
        throw in.errorAt(
            recordStart + 1, String.format("record version 0x%04x is not 0x03xx", version));
      }
      if (recordVersion < 0) {
        recordVersion = version;
      }
      int length = in.u16("record length");
      if (length == 0 || length > MAX_RECORD_FRAGMENT) {
        throw in.errorAt(recordStart + 3, "record length " + length + " is not within 1..16384");
      }
      byte[] fragment = in.bytes(length, "record fragment");
      message.writeBytes(fragment);
      if (needed < 0 && message.size() >= 4) {
        byte[] m = message.toByteArray();
        needed = 4 + ((m[1] & 0xff) << 16 | (m[2] & 0xff) << 8 | m[3] & 0xff);
      }
    }
    if (message.size() > needed) {
      throw new MalformedClientHelloException(
          input.length - in.remaining() - (message.size() - needed),
          true,
          (message.size() - needed) + " bytes follow the ClientHello in its last record");
    }
    if (in.hasRemaining()) {
      throw in.error(in.remaining() + " bytes follow the records carrying the ClientHello");
    }
    return parseHandshake(message.toByteArray(), recordVersion);
  }

  private static ClientHello parseHandshake(byte[] msg, int recordVersion)
      throws MalformedClientHelloException {
    Reader in = new Reader(msg, 0, msg.length, 0, false);
    int type = in.u8("handshake type");
    if (type != HANDSHAKE_CLIENT_HELLO) {
      throw in.errorAt(0, "handshake type " + type + " is not ClientHello (1)");
    }
    int length = in.u24("handshake length");
    if (length != in.remaining()) {
      throw in.errorAt(
          1, "handshake length " + length + " but " + in.remaining() + " bytes follow the header");
    }
    int legacyVersion = in.u16("legacy_version");
    byte[] random = in.bytes(32, "random");
    Reader sid = in.vector(1, "legacy_session_id");
    if (sid.remaining() > 32) {
      throw in.errorAt(sid.position() - 1, "session id length " + sid.remaining() + " exceeds 32");
    }
    byte[] sessionId = sid.bytes(sid.remaining(), "legacy_session_id");
    Reader cs = in.vector(2, "cipher_suites");
    if (cs.remaining() % 2 != 0 || cs.remaining() == 0) {
      throw cs.error("cipher_suites length " + cs.remaining() + " is odd or zero");
    }
    List<Integer> ciphers = new ArrayList<>(cs.remaining() / 2);
    while (cs.hasRemaining()) {
      ciphers.add(cs.u16("cipher suite"));
    }
    Reader cm = in.vector(1, "legacy_compression_methods");
    if (!cm.hasRemaining()) {
      throw cm.error("no compression methods");
    }
    List<Integer> compression = new ArrayList<>(cm.remaining());
    while (cm.hasRemaining()) {
      compression.add(cm.u8("compression method"));
    }
    boolean extensionsPresent = in.hasRemaining();
    List<TlsExtension> extensions = new ArrayList<>();
    if (extensionsPresent) {
      Reader ext = in.vector(2, "extensions");
      in.expectEnd("ClientHello after the extensions");
      Set<Integer> seen = new HashSet<>();
      while (ext.hasRemaining()) {
        int at = ext.position();
        int extType = ext.u16("extension type");
        Reader data = ext.vector(2, String.format("extension 0x%04x", extType));
        if (!seen.add(extType)) {
          throw ext.errorAt(at, String.format("extension 0x%04x appears twice", extType));
        }
        extensions.add(new TlsExtension(extType, data.bytes(data.remaining(), "extension data")));
      }
    }
    ClientHello hello =
        new ClientHello(
            recordVersion,
            legacyVersion,
            random,
            sessionId,
            ciphers,
            compression,
            extensionsPresent,
            extensions);
    hello.decodeExtensions(msg);
    return hello;
  }

  /**
   * Builds a ClientHello from its fields (for an engine that reproduces a profile with fresh random
   * values, GREASE and extension order). The result is encoded and parsed again, so it is exactly
   * as strict as {@link #parse(byte[])}; an empty extension list still writes an (empty) extensions
   * block.
   *
   * @throws IllegalArgumentException if the fields do not make a well-formed ClientHello (the cause
   *     is the {@link MalformedClientHelloException})
   */
  public static ClientHello of(
      int legacyVersion,
      byte[] random,
      byte[] sessionId,
      List<Integer> cipherSuites,
      List<Integer> compressionMethods,
      List<TlsExtension> extensions) {
    checkFields(random, sessionId, cipherSuites, compressionMethods);
    ClientHello draft =
        new ClientHello(
            -1,
            legacyVersion & 0xffff,
            random.clone(),
            sessionId.clone(),
            cipherSuites,
            compressionMethods,
            true,
            extensions);
    try {
      return parse(draft.toBytes());
    } catch (MalformedClientHelloException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /**
   * A copy of this hello with {@code extensions} in place of its own (same random, session id,
   * suites), for example to reorder them or refresh GREASE and key shares.
   *
   * @throws IllegalArgumentException if the result is not a well-formed ClientHello
   */
  public ClientHello withExtensions(List<TlsExtension> newExtensions) {
    return of(legacyVersion, random, sessionId, cipherSuites, compressionMethods, newExtensions);
  }

  private void decodeExtensions(byte[] msg) throws MalformedClientHelloException {
    // Find where each extension's data starts so that errors carry a real offset.
    int pos =
        4
            + 2
            + 32
            + 1
            + sessionId.length
            + 2
            + cipherSuites.size() * 2
            + 1
            + compressionMethods.size()
            + 2;
    for (TlsExtension e : extensions) {
      int start = pos + 4;
      int end = start + e.length();
      pos = end;
      Reader r = new Reader(msg, start, end, 0, false);
      String name = String.format("extension 0x%04x", e.type());
      switch (e.type()) {
        case EXT_SERVER_NAME -> {
          if (!r.hasRemaining()) {
            break; // an empty server_name is what servers echo; tolerate it from clients too
          }
          Reader list = r.vector(2, "server_name list");
          r.expectEnd(name);
          while (list.hasRemaining()) {
            int nameType = list.u8("server name type");
            Reader host = list.vector(2, "server name");
            byte[] h = host.bytes(host.remaining(), "server name");
            if (nameType == 0 && serverName == null) {
              serverName = new String(h, StandardCharsets.US_ASCII);
            }
          }
        }
        case EXT_ALPN -> {
          alpn = protocolList(r, "ALPN");
          r.expectEnd(name);
        }
        case EXT_ALPS_OLD, EXT_ALPS -> {
          if (alpsCodepoint >= 0) {
            throw r.error("both ALPS codepoints present");
          }
          alpsCodepoint = e.type();
          alpsProtocols = protocolList(r, "ALPS");
          r.expectEnd(name);
        }
        case EXT_SUPPORTED_GROUPS -> supportedGroups = u16List(r, 2, "supported_groups", name);
        case EXT_SIGNATURE_ALGORITHMS ->
            signatureAlgorithms = u16List(r, 2, "signature_algorithms", name);
        case EXT_SIGNATURE_ALGORITHMS_CERT ->
            signatureAlgorithmsCert = u16List(r, 2, "signature_algorithms_cert", name);
        case EXT_DELEGATED_CREDENTIALS ->
            delegatedCredentialSignatureAlgorithms = u16List(r, 2, "delegated_credentials", name);
        case EXT_SUPPORTED_VERSIONS ->
            supportedVersions = u16List(r, 1, "supported_versions", name);
        case EXT_COMPRESS_CERTIFICATE ->
            certificateCompressionAlgorithms = u16List(r, 1, "compress_certificate", name);
        case EXT_PSK_KEY_EXCHANGE_MODES ->
            pskKeyExchangeModes = u8List(r, "psk_key_exchange_modes", name);
        case EXT_EC_POINT_FORMATS -> ecPointFormats = u8List(r, "ec_point_formats", name);
        case EXT_RECORD_SIZE_LIMIT -> {
          recordSizeLimit = r.u16("record_size_limit");
          r.expectEnd(name);
        }
        case EXT_PADDING -> paddingLength = e.length();
        case EXT_KEY_SHARE -> {
          Reader list = r.vector(2, "key_share list");
          r.expectEnd(name);
          List<KeyShare> shares = new ArrayList<>();
          while (list.hasRemaining()) {
            int group = list.u16("key share group");
            Reader key = list.vector(2, "key share key");
            shares.add(new KeyShare(group, key.bytes(key.remaining(), "key share key")));
          }
          keyShares = List.copyOf(shares);
        }
        case EXT_PRE_SHARED_KEY -> {
          Reader identities = r.vector(2, "psk identities");
          Reader binders = r.vector(2, "psk binders");
          r.expectEnd(name);
          List<PskIdentity> ids = new ArrayList<>();
          while (identities.hasRemaining()) {
            Reader id = identities.vector(2, "psk identity");
            long age =
                ((long) identities.u16("obfuscated_ticket_age") << 16)
                    | identities.u16("obfuscated_ticket_age");
            ids.add(new PskIdentity(id.bytes(id.remaining(), "psk identity"), age));
          }
          List<Integer> lengths = new ArrayList<>();
          while (binders.hasRemaining()) {
            Reader binder = binders.vector(1, "psk binder");
            lengths.add(binder.remaining());
          }
          pskIdentities = List.copyOf(ids);
          pskBinderLengths = List.copyOf(lengths);
        }
        case EXT_ENCRYPTED_CLIENT_HELLO -> {
          int echType = r.u8("ECH type");
          if (echType == 0) {
            int kdf = r.u16("ECH kdf_id");
            int aead = r.u16("ECH aead_id");
            int configId = r.u8("ECH config_id");
            Reader enc = r.vector(2, "ECH enc");
            Reader payload = r.vector(2, "ECH payload");
            r.expectEnd(name);
            ech =
                new EncryptedClientHelloInfo(
                    0, kdf, aead, configId, enc.remaining(), payload.remaining());
          } else {
            ech = new EncryptedClientHelloInfo(echType, 0, 0, 0, 0, 0);
          }
        }
        default -> {
          // kept raw only
        }
      }
    }
  }

  private static List<String> protocolList(Reader r, String what)
      throws MalformedClientHelloException {
    Reader list = r.vector(2, what + " protocol list");
    List<String> out = new ArrayList<>();
    while (list.hasRemaining()) {
      Reader p = list.vector(1, what + " protocol");
      if (!p.hasRemaining()) {
        throw p.error("empty " + what + " protocol name");
      }
      out.add(new String(p.bytes(p.remaining(), what + " protocol"), StandardCharsets.ISO_8859_1));
    }
    return List.copyOf(out);
  }

  private static List<Integer> u16List(Reader r, int prefix, String what, String name)
      throws MalformedClientHelloException {
    Reader list = r.vector(prefix, what);
    r.expectEnd(name);
    if (list.remaining() % 2 != 0) {
      throw list.error(what + " length " + list.remaining() + " is odd");
    }
    List<Integer> out = new ArrayList<>(list.remaining() / 2);
    while (list.hasRemaining()) {
      out.add(list.u16(what));
    }
    return List.copyOf(out);
  }

  private static List<Integer> u8List(Reader r, String what, String name)
      throws MalformedClientHelloException {
    Reader list = r.vector(1, what);
    r.expectEnd(name);
    List<Integer> out = new ArrayList<>(list.remaining());
    while (list.hasRemaining()) {
      out.add(list.u8(what));
    }
    return List.copyOf(out);
  }

  // ---------------------------------------------------------------------------------------------
  // Encoding

  /** The handshake message (type, 24-bit length, body), byte-identical to what was parsed. */
  public byte[] toBytes() {
    return write(
        legacyVersion,
        random,
        sessionId,
        cipherSuites,
        compressionMethods,
        extensionsBlockPresent,
        extensions);
  }

  /**
   * The handshake message of a ClientHello with these fields, written in one pass and not parsed
   * again: for an engine that writes one per connection from parts whose shape its tests hold.
   * {@link #of} checks the extensions' contents too; this checks the fields' ranges and lengths.
   *
   * @throws IllegalArgumentException if a field is out of range or a length does not fit
   */
  public static byte[] encode(
      int legacyVersion,
      byte[] random,
      byte[] sessionId,
      List<Integer> cipherSuites,
      List<Integer> compressionMethods,
      List<TlsExtension> extensions) {
    checkFields(random, sessionId, cipherSuites, compressionMethods);
    return write(
        legacyVersion & 0xffff,
        random,
        sessionId,
        cipherSuites,
        compressionMethods,
        true,
        extensions);
  }

  /** The ranges and lengths {@link #of} and {@link #encode} refuse before writing anything. */
  private static void checkFields(
      byte[] random,
      byte[] sessionId,
      List<Integer> cipherSuites,
      List<Integer> compressionMethods) {
    if (Objects.requireNonNull(random, "random").length != 32) {
      throw new IllegalArgumentException("random must be 32 bytes, not " + random.length);
    }
    if (Objects.requireNonNull(sessionId, "sessionId").length > 32) {
      throw new IllegalArgumentException("session id longer than 32 bytes");
    }
    for (int c : cipherSuites) {
      if (c < 0 || c > 0xffff) {
        throw new IllegalArgumentException("cipher suite out of range: " + c);
      }
    }
    if (cipherSuites.size() > 0x7fff) {
      throw new IllegalArgumentException("more than 32767 cipher suites");
    }
    if (compressionMethods.size() > 255) {
      throw new IllegalArgumentException("more than 255 compression methods");
    }
    for (int c : compressionMethods) {
      if (c < 0 || c > 0xff) {
        throw new IllegalArgumentException("compression method out of range: " + c);
      }
    }
  }

  private static byte[] write(
      int legacyVersion,
      byte[] random,
      byte[] sessionId,
      List<Integer> cipherSuites,
      List<Integer> compressionMethods,
      boolean extensionsBlockPresent,
      List<TlsExtension> extensions) {
    int extensionsLength = 0;
    for (TlsExtension e : extensions) {
      extensionsLength += 4 + e.length();
    }
    if (extensionsLength > 0xffff) {
      throw new IllegalArgumentException("extensions longer than 65535 bytes: " + extensionsLength);
    }
    int bodyLength =
        2
            + 32
            + 1
            + sessionId.length
            + 2
            + 2 * cipherSuites.size()
            + 1
            + compressionMethods.size()
            + (extensionsBlockPresent ? 2 + extensionsLength : 0);
    byte[] out = new byte[4 + bodyLength];
    out[0] = (byte) HANDSHAKE_CLIENT_HELLO;
    out[1] = (byte) (bodyLength >>> 16);
    out[2] = (byte) (bodyLength >>> 8);
    out[3] = (byte) bodyLength;
    int at = put16(out, 4, legacyVersion);
    System.arraycopy(random, 0, out, at, 32);
    at += 32;
    out[at++] = (byte) sessionId.length;
    System.arraycopy(sessionId, 0, out, at, sessionId.length);
    at += sessionId.length;
    at = put16(out, at, cipherSuites.size() * 2);
    for (int c : cipherSuites) {
      at = put16(out, at, c);
    }
    out[at++] = (byte) compressionMethods.size();
    for (int c : compressionMethods) {
      out[at++] = (byte) c;
    }
    if (extensionsBlockPresent) {
      at = put16(out, at, extensionsLength);
      for (TlsExtension e : extensions) {
        at = e.writeTo(out, at);
      }
    }
    return out;
  }

  private static int put16(byte[] out, int at, int value) {
    out[at] = (byte) (value >>> 8);
    out[at + 1] = (byte) value;
    return at + 2;
  }

  /**
   * The handshake message framed in TLS handshake records of at most 16384 bytes each, with the
   * record version this hello was parsed with (0x0301, what browsers send, when it was parsed from
   * a bare handshake message or built with {@link #of}). For a capture that carried the hello in
   * one record this equals the capture.
   */
  public byte[] toRecordBytes() {
    byte[] msg = toBytes();
    int version = recordVersion < 0 ? 0x0301 : recordVersion;
    ByteArrayOutputStream out = new ByteArrayOutputStream(msg.length + 16);
    for (int off = 0; off < msg.length; off += MAX_RECORD_FRAGMENT) {
      int n = Math.min(MAX_RECORD_FRAGMENT, msg.length - off);
      out.write(CONTENT_TYPE_HANDSHAKE);
      u16(out, version);
      u16(out, n);
      out.write(msg, off, n);
    }
    return out.toByteArray();
  }

  private static void u16(ByteArrayOutputStream out, int v) {
    out.write(v >>> 8 & 0xff);
    out.write(v & 0xff);
  }

  // ---------------------------------------------------------------------------------------------
  // Accessors

  /** Whether {@code value} is a GREASE value (RFC 8701): 0x?a?a with both bytes equal. */
  public static boolean isGrease(int value) {
    return (value & 0x0f0f) == 0x0a0a && (value >>> 8 & 0xff) == (value & 0xff) && value <= 0xffff;
  }

  /** The version of the first record, when the hello was parsed from records. */
  public OptionalInt recordVersion() {
    return recordVersion < 0 ? OptionalInt.empty() : OptionalInt.of(recordVersion);
  }

  /** legacy_version, 0x0303 for TLS 1.2 and 1.3 clients. */
  public int legacyVersion() {
    return legacyVersion;
  }

  /** A copy of the 32-byte client random. */
  public byte[] random() {
    return random.clone();
  }

  /** A copy of legacy_session_id (0..32 bytes). */
  public byte[] sessionId() {
    return sessionId.clone();
  }

  /** The cipher suites in wire order, GREASE kept. */
  public List<Integer> cipherSuites() {
    return cipherSuites;
  }

  /** The compression methods in wire order. */
  public List<Integer> compressionMethods() {
    return compressionMethods;
  }

  /** Every extension in wire order, GREASE kept. Empty when the hello has no extensions block. */
  public List<TlsExtension> extensions() {
    return extensions;
  }

  /** The extension types in wire order, GREASE kept. */
  public List<Integer> extensionTypes() {
    List<Integer> types = new ArrayList<>(extensions.size());
    for (TlsExtension e : extensions) {
      types.add(e.type());
    }
    return List.copyOf(types);
  }

  /** The extension of {@code type}, if present. */
  public Optional<TlsExtension> extension(int type) {
    for (TlsExtension e : extensions) {
      if (e.type() == type) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /** Whether an extension of {@code type} is present. */
  public boolean hasExtension(int type) {
    return extension(type).isPresent();
  }

  /** The first host_name of the server_name extension. */
  public Optional<String> serverName() {
    return Optional.ofNullable(serverName);
  }

  /** The ALPN protocols offered, in order (empty without the extension). */
  public List<String> alpn() {
    return alpn;
  }

  /** supported_groups in order, GREASE kept. */
  public List<Integer> supportedGroups() {
    return supportedGroups;
  }

  /** The key_share entries in order, GREASE kept. */
  public List<KeyShare> keyShares() {
    return keyShares;
  }

  /** signature_algorithms in order, GREASE kept. */
  public List<Integer> signatureAlgorithms() {
    return signatureAlgorithms;
  }

  /** signature_algorithms_cert (50) in order, empty without the extension. */
  public List<Integer> signatureAlgorithmsCert() {
    return signatureAlgorithmsCert;
  }

  /** supported_versions in order, GREASE kept (empty without the extension). */
  public List<Integer> supportedVersions() {
    return supportedVersions;
  }

  /** psk_key_exchange_modes in order. */
  public List<Integer> pskKeyExchangeModes() {
    return pskKeyExchangeModes;
  }

  /**
   * The identities of pre_shared_key (41) in order: the tickets a resumed hello offers (empty
   * without the extension).
   */
  public List<PskIdentity> pskIdentities() {
    return pskIdentities;
  }

  /** The lengths of pre_shared_key's binders, in order (empty without the extension). */
  public List<Integer> pskBinderLengths() {
    return pskBinderLengths;
  }

  /**
   * The certificate compression algorithms of compress_certificate (27): 1 zlib, 2 brotli, 3 zstd.
   */
  public List<Integer> certificateCompressionAlgorithms() {
    return certificateCompressionAlgorithms;
  }

  /** ec_point_formats in order. */
  public List<Integer> ecPointFormats() {
    return ecPointFormats;
  }

  /** The ALPS codepoint in use: 17513 (old) or 17613 (new), if any. */
  public OptionalInt alpsCodepoint() {
    return alpsCodepoint < 0 ? OptionalInt.empty() : OptionalInt.of(alpsCodepoint);
  }

  /** The ALPS protocols, whichever codepoint carried them (empty without ALPS). */
  public List<String> alpsProtocols() {
    return alpsProtocols;
  }

  /** record_size_limit (28), if present. */
  public OptionalInt recordSizeLimit() {
    return recordSizeLimit < 0 ? OptionalInt.empty() : OptionalInt.of(recordSizeLimit);
  }

  /** The signature algorithms of delegated_credentials (34), empty without the extension. */
  public List<Integer> delegatedCredentialSignatureAlgorithms() {
    return delegatedCredentialSignatureAlgorithms;
  }

  /** The length of the padding extension's data (21), if present. */
  public OptionalInt paddingLength() {
    return paddingLength < 0 ? OptionalInt.empty() : OptionalInt.of(paddingLength);
  }

  /** Whether the encrypted_client_hello extension (0xfe0d) is present. */
  public boolean hasEch() {
    return ech != null;
  }

  /** What the encrypted_client_hello extension says, if present. */
  public Optional<EncryptedClientHelloInfo> ech() {
    return Optional.ofNullable(ech);
  }

  /** The ECH payload length of an outer ECH extension. */
  public OptionalInt echPayloadLength() {
    return ech != null && ech.isOuter() ? OptionalInt.of(ech.payloadLength()) : OptionalInt.empty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClientHello other && Arrays.equals(other.toBytes(), toBytes());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(toBytes());
  }

  /** A one-line summary (not the bytes): SNI, suites, extension types. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("ClientHello[sni=").append(serverName).append(", suites=");
    hexList(sb, cipherSuites);
    sb.append(", extensions=");
    hexList(sb, extensionTypes());
    return sb.append(']').toString();
  }

  static void hexList(StringBuilder sb, List<Integer> values) {
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(String.format("%04x", values.get(i)));
    }
  }
}
