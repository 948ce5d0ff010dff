package dev.guise.fingerprint;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The JA3 fingerprint of a ClientHello (Salesforce): {@code
 * version,ciphers,extensions,groups,point_formats} in decimal, values joined by {@code -}, GREASE
 * values (RFC 8701) removed from ciphers, extensions and groups; {@link #hash()} is its MD5 in hex.
 * JA3N is the same with the extensions sorted ascending, which makes it stable for clients that
 * permute their extensions (Chrome).
 *
 * <p>Immutable and thread-safe.
 *
 * @param string the JA3 string
 * @param normalized the JA3N string (extensions sorted)
 */
public record Ja3(String string, String normalized) {
  public Ja3 {
    Objects.requireNonNull(string, "string");
    Objects.requireNonNull(normalized, "normalized");
  }

  /** Computes JA3 and JA3N of {@code hello}. */
  public static Ja3 of(ClientHello hello) {
    List<Integer> extensions = withoutGrease(hello.extensionTypes());
    List<Integer> sorted = new ArrayList<>(extensions);
    sorted.sort(null);
    return new Ja3(build(hello, extensions), build(hello, sorted));
  }

  private static String build(ClientHello hello, List<Integer> extensions) {
    return hello.legacyVersion()
        + ","
        + join(withoutGrease(hello.cipherSuites()))
        + ","
        + join(extensions)
        + ","
        + join(withoutGrease(hello.supportedGroups()))
        + ","
        + join(hello.ecPointFormats());
  }

  /** The MD5 of {@link #string()}, 32 lowercase hex digits. */
  public String hash() {
    return md5(string);
  }

  /** The MD5 of {@link #normalized()}, 32 lowercase hex digits. */
  public String normalizedHash() {
    return md5(normalized);
  }

  @Override
  public String toString() {
    return string;
  }

  static List<Integer> withoutGrease(List<Integer> values) {
    List<Integer> out = new ArrayList<>(values.size());
    for (int v : values) {
      if (!ClientHello.isGrease(v)) {
        out.add(v);
      }
    }
    return out;
  }

  private static String join(List<Integer> values) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        sb.append('-');
      }
      sb.append(values.get(i));
    }
    return sb.toString();
  }

  private static String md5(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has MD5", e);
    }
  }
}
