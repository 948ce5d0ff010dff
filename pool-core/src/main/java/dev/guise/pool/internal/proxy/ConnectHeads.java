package dev.guise.pool.internal.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The {@code CONNECT} request head a browser sends to an HTTP proxy, from the captures (Chromium's
 * and Firefox's, {@code reference/proxy/connect-heads.json}, kept here byte for byte as {@code
 * chromium.connect} and {@code firefox.connect}; a test holds them equal to the capture). The
 * captured target, {@code www.fp-oracle.test:443}, is replaced by the tunnel's; nothing else
 * changes: names, order, case and values are the browser's.
 *
 * <p>A profile that is no browser (the JDK engine's {@code jdk}) sends the least RFC 9110 asks for:
 * the request line and {@code Host}. Nothing claims to be a browser it is not.
 *
 * <p>{@code Proxy-Authorization}: the captures have none (a headless browser cannot be given proxy
 * credentials without a prompt), so where a browser puts it is unknown. It goes last, after the
 * captured fields: the browser's own order stays as captured, and a proxy sees the same head as
 * from the browser's first, unauthenticated try plus one field.
 */
final class ConnectHeads {
  private static final String CAPTURED_TARGET = "www.fp-oracle.test:443";
  private static final String CHROMIUM = load("chromium.connect");
  private static final String FIREFOX = load("firefox.connect");
  private static final String PLAIN =
      "CONNECT " + CAPTURED_TARGET + " HTTP/1.1\r\n" + "Host: " + CAPTURED_TARGET + "\r\n\r\n";

  private ConnectHeads() {}

  private static String load(String name) {
    try (InputStream in = ConnectHeads.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The captured head of {@code profile}'s browser, or the plain one, with the captured target. */
  static String template(String profile) {
    String p = profile.toLowerCase(Locale.ROOT);
    if (p.startsWith("chrome") || p.startsWith("chromium")) {
      return CHROMIUM;
    }
    if (p.startsWith("firefox")) {
      return FIREFOX;
    }
    return PLAIN;
  }

  /**
   * The head to send.
   *
   * @param authority {@code host:port} of the target (an IPv6 literal in brackets)
   * @param authorization the {@code Proxy-Authorization} value, or null
   */
  static byte[] head(String profile, String authority, String authorization) {
    String head = template(profile).replace(CAPTURED_TARGET, authority);
    if (authorization != null) {
      head =
          head.substring(0, head.length() - 2)
              + "Proxy-Authorization: "
              + authorization
              + "\r\n\r\n";
    }
    return head.getBytes(StandardCharsets.ISO_8859_1);
  }
}
