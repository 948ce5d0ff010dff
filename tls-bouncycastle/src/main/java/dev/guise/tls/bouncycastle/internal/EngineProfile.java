package dev.guise.tls.bouncycastle.internal;

import dev.guise.api.Fidelity;
import dev.guise.api.FingerprintOffer;
import dev.guise.fingerprint.ClientHello;
import dev.guise.fingerprint.Ja4;
import dev.guise.fingerprint.MalformedClientHelloException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.tls.crypto.TlsCrypto;

/**
 * A named ClientHello this engine presents: a built-in browser profile (from the reference capture
 * embedded as a resource) or a user's capture. Immutable and thread-safe.
 */
final class EngineProfile {
  /**
   * Chrome's ALPS value for h2: an HTTP/2 SETTINGS frame with the settings Chrome 156 sends
   * (HEADER_TABLE_SIZE 65536, ENABLE_PUSH 0, INITIAL_WINDOW_SIZE 6291456, MAX_HEADER_LIST_SIZE
   * 262144: the reference capture's Akamai fingerprint).
   */
  static final byte[] CHROME_H2_SETTINGS = settingsFrame(new int[][] {
    {1, 65536}, {2, 0}, {4, 6291456}, {6, 262144},
  });

  final String name;
  final List<String> aliases;
  final HelloTemplate template;
  final String note;

  private EngineProfile(String name, List<String> aliases, HelloTemplate template, String note) {
    this.name = name;
    this.aliases = List.copyOf(aliases);
    this.template = template;
    this.note = note;
  }

  static EngineProfile builtIn(
      String name, List<String> aliases, String resource, HelloTemplate.Randomisation randomisation,
      byte[] alpsH2Settings, TlsCrypto crypto) {
    ClientHello hello = parse(readResource(resource), "built-in profile " + name);
    return new EngineProfile(
        name, aliases, HelloTemplate.of(name, randomisation, hello, crypto, alpsH2Settings),
        "browser-exact ClientHello on BouncyCastle");
  }

  /**
   * A profile that sends what {@code capture} sent (random fields regenerated).
   *
   * @throws IllegalArgumentException when the bytes are not a ClientHello or ask for something the
   *     engine cannot send (the message names it)
   */
  static EngineProfile captured(String name, byte[] capture, TlsCrypto crypto) {
    ClientHello hello = parse(capture, "capture " + name);
    byte[] alps = hello.alpsProtocols().contains("h2") ? CHROME_H2_SETTINGS : new byte[0];
    return new EngineProfile(
        name, List.of(),
        HelloTemplate.of(name, HelloTemplate.Randomisation.CAPTURE, hello, crypto, alps),
        "sends a captured ClientHello with fresh random values");
  }

  FingerprintOffer offer() {
    return new FingerprintOffer(
        name, aliases, Fidelity.EXACT, Optional.of(Ja4.of(template.reference).ja4()), note);
  }

  boolean answersTo(String wanted) {
    if (name.equalsIgnoreCase(wanted)) {
      return true;
    }
    for (String alias : aliases) {
      if (alias.equalsIgnoreCase(wanted)) {
        return true;
      }
    }
    return false;
  }

  private static ClientHello parse(byte[] bytes, String what) {
    try {
      return ClientHello.parse(bytes);
    } catch (MalformedClientHelloException e) {
      throw new IllegalArgumentException(what + " is not a ClientHello: " + e.getMessage(), e);
    }
  }

  private static byte[] readResource(String resource) {
    try (InputStream in = EngineProfile.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] settingsFrame(int[][] settings) {
    int length = settings.length * 6;
    byte[] frame = new byte[9 + length];
    frame[0] = (byte) (length >>> 16);
    frame[1] = (byte) (length >>> 8);
    frame[2] = (byte) length;
    frame[3] = 4; // SETTINGS
    int p = 9;
    for (int[] s : settings) {
      frame[p++] = (byte) (s[0] >>> 8);
      frame[p++] = (byte) s[0];
      frame[p++] = (byte) (s[1] >>> 24);
      frame[p++] = (byte) (s[1] >>> 16);
      frame[p++] = (byte) (s[1] >>> 8);
      frame[p++] = (byte) s[1];
    }
    return frame;
  }
}
