package dev.guise.fingerprint;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The JA4 TLS client fingerprint (FoxIO specification), in its four forms: {@link #ja4()} (sorted,
 * hashed), {@link #ja4r()} (sorted, raw), {@link #ja4o()} (original order, hashed) and {@link
 * #ja4ro()} (original order, raw).
 *
 * <p>Written from the specification:
 *
 * <ul>
 *   <li>Part a: protocol ({@code t} TCP, {@code q} QUIC, {@code d} DTLS); TLS version, the highest
 *       non-GREASE value of supported_versions when present, else legacy_version ({@code 13},
 *       {@code 12}, {@code 11}, {@code 10}, {@code s3}, {@code s2}, {@code d1}, {@code d2}, {@code
 *       d3}, else {@code 00}); {@code d} when server_name is present, else {@code i}; the number of
 *       cipher suites and of extensions, two digits each, capped at 99, GREASE not counted (SNI and
 *       ALPN are counted); the first and last character of the first ALPN value ({@code 00} without
 *       ALPN; when either is not an ASCII letter or digit, the first and last hex digit of the
 *       value instead).
 *   <li>Part b: the cipher suites (GREASE removed) as 4-digit lowercase hex, sorted (or in wire
 *       order for the {@code _o} forms), comma-separated; hashed as the first 12 hex digits of its
 *       SHA-256, or {@code 000000000000} when empty.
 *   <li>Part c: the extensions (GREASE removed) likewise; the sorted forms also leave out SNI
 *       (0000) and ALPN (0010), the original-order forms keep them. Then, when there are signature
 *       algorithms, {@code _} and the signature algorithms in wire order with GREASE removed
 *       (Chrome 152+ sends a GREASE value there; keeping it would give a new JA4 per connection).
 *       Hashed like part b ({@code 000000000000} when there are no extensions to list).
 * </ul>
 *
 * <p>Immutable and thread-safe.
 *
 * @param ja4 sorted and hashed: {@code a_b_c}
 * @param ja4r sorted, raw lists
 * @param ja4o original order, hashed
 * @param ja4ro original order, raw lists
 */
public record Ja4(String ja4, String ja4r, String ja4o, String ja4ro) {
  private static final String EMPTY_HASH = "000000000000";

  public Ja4 {
    Objects.requireNonNull(ja4, "ja4");
    Objects.requireNonNull(ja4r, "ja4r");
    Objects.requireNonNull(ja4o, "ja4o");
    Objects.requireNonNull(ja4ro, "ja4ro");
  }

  /** JA4 of a ClientHello sent over TCP. */
  public static Ja4 of(ClientHello hello) {
    return of(hello, 't');
  }

  /**
   * JA4 of a ClientHello sent over {@code transport}: {@code 't'} TCP, {@code 'q'} QUIC or {@code
   * 'd'} DTLS.
   */
  public static Ja4 of(ClientHello hello, char transport) {
    if (transport != 't' && transport != 'q' && transport != 'd') {
      throw new IllegalArgumentException("transport must be t, q or d, not " + transport);
    }
    List<Integer> ciphers = Ja3.withoutGrease(hello.cipherSuites());
    List<Integer> extensions = Ja3.withoutGrease(hello.extensionTypes());
    List<Integer> sigalgs = Ja3.withoutGrease(hello.signatureAlgorithms());

    String a =
        transport
            + version(hello)
            + (hello.hasExtension(ClientHello.EXT_SERVER_NAME) ? "d" : "i")
            + twoDigits(ciphers.size())
            + twoDigits(extensions.size())
            + alpnPart(hello);

    List<Integer> sortedCiphers = new ArrayList<>(ciphers);
    sortedCiphers.sort(null);
    List<Integer> sortedExtensions = new ArrayList<>();
    for (int e : extensions) {
      if (e != ClientHello.EXT_SERVER_NAME && e != ClientHello.EXT_ALPN) {
        sortedExtensions.add(e);
      }
    }
    sortedExtensions.sort(null);

    String bSorted = hexList(sortedCiphers);
    String cSorted = extensionPart(sortedExtensions, sigalgs);
    String bOriginal = hexList(ciphers);
    String cOriginal = extensionPart(extensions, sigalgs);
    return new Ja4(
        a + "_" + hash(bSorted) + "_" + hashOrEmpty(sortedExtensions, cSorted),
        a + "_" + bSorted + "_" + cSorted,
        a + "_" + hash(bOriginal) + "_" + hashOrEmpty(extensions, cOriginal),
        a + "_" + bOriginal + "_" + cOriginal);
  }

  @Override
  public String toString() {
    return ja4;
  }

  private static String version(ClientHello hello) {
    int version = hello.legacyVersion();
    List<Integer> supported = Ja3.withoutGrease(hello.supportedVersions());
    if (!supported.isEmpty()) {
      // Highest by protocol order; DTLS versions count down, so compare per family.
      version = supported.get(0);
      for (int v : supported) {
        if (rank(v) > rank(version)) {
          version = v;
        }
      }
    }
    return switch (version) {
      case 0x0304 -> "13";
      case 0x0303 -> "12";
      case 0x0302 -> "11";
      case 0x0301 -> "10";
      case 0x0300 -> "s3";
      case 0x0002 -> "s2";
      case 0xfeff -> "d1";
      case 0xfefd -> "d2";
      case 0xfefc -> "d3";
      default -> "00";
    };
  }

  private static int rank(int v) {
    return (v & 0xff00) == 0xfe00 ? 0xff - (v & 0xff) : v;
  }

  private static String twoDigits(int n) {
    int capped = Math.min(n, 99);
    return capped < 10 ? "0" + capped : Integer.toString(capped);
  }

  private static String alpnPart(ClientHello hello) {
    if (hello.alpn().isEmpty()) {
      return "00";
    }
    byte[] first = hello.alpn().get(0).getBytes(StandardCharsets.ISO_8859_1);
    if (first.length == 0) {
      return "00";
    }
    char f = (char) (first[0] & 0xff);
    char l = (char) (first[first.length - 1] & 0xff);
    if (isAlphanumeric(f) && isAlphanumeric(l)) {
      return "" + f + l;
    }
    String hex = HexFormat.of().formatHex(first);
    return "" + hex.charAt(0) + hex.charAt(hex.length() - 1);
  }

  private static boolean isAlphanumeric(char c) {
    return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z';
  }

  private static String extensionPart(List<Integer> extensions, List<Integer> sigalgs) {
    String part = hexList(extensions);
    return sigalgs.isEmpty() ? part : part + "_" + hexList(sigalgs);
  }

  private static String hexList(List<Integer> values) {
    StringBuilder sb = new StringBuilder();
    ClientHello.hexList(sb, values);
    return sb.toString();
  }

  private static String hashOrEmpty(List<Integer> extensions, String text) {
    return extensions.isEmpty() ? EMPTY_HASH : sha256Prefix(text);
  }

  private static String hash(String text) {
    return text.isEmpty() ? EMPTY_HASH : sha256Prefix(text);
  }

  private static String sha256Prefix(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(digest).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
