package dev.guise.tls.bouncycastle.internal;

import dev.guise.api.Fidelity;
import dev.guise.api.FingerprintOffer;
import dev.guise.fingerprint.AkamaiFingerprint;
import dev.guise.fingerprint.BrowserProfile;
import dev.guise.fingerprint.BrowserProfiles;
import dev.guise.fingerprint.ClientHello;
import dev.guise.fingerprint.Ja4;
import dev.guise.fingerprint.MalformedClientHelloException;
import dev.guise.fingerprint.TlsRandomisation;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.tls.crypto.TlsCrypto;

/**
 * A named ClientHello this engine presents: a browser profile of the shared catalogue or a user's
 * capture. Immutable and thread-safe.
 */
final class NamedHello {
  final String name;
  final List<String> aliases;
  final HelloTemplate template;
  final String note;

  private NamedHello(String name, List<String> aliases, HelloTemplate template, String note) {
    this.name = name;
    this.aliases = List.copyOf(aliases);
    this.template = template;
    this.note = note;
  }

  /** A profile of the shared catalogue ({@code dev.guise.fingerprint.BrowserProfiles}). */
  static NamedHello builtIn(BrowserProfile browser, TlsCrypto crypto) {
    ClientHello hello = browser.referenceHello();
    byte[] alps =
        hello.alpsProtocols().contains("h2")
            ? settingsFrame(browser.http2().settings())
            : new byte[0];
    return new NamedHello(
        browser.name(),
        browser.aliases(),
        HelloTemplate.of(
            browser.name(),
            browser.tlsRandomisation(),
            hello,
            crypto,
            alps,
            browser.resumedReferenceHello()),
        "browser-exact ClientHello on BouncyCastle: " + browser.description());
  }

  /**
   * A profile that sends what {@code capture} sent (random fields regenerated). GREASE values are
   * made fresh where the capture has them, the order is kept, and the ECH GREASE payload keeps the
   * captured length and suite. When the capture offers ALPS for h2, the settings sent are those of
   * the Chrome profile (the only browser that sends ALPS).
   *
   * @throws IllegalArgumentException when the bytes are not a ClientHello or ask for something the
   *     engine cannot send (the message names it)
   */
  static NamedHello captured(String name, byte[] capture, TlsCrypto crypto) {
    ClientHello hello = parse(capture, "capture " + name);
    byte[] alps =
        hello.alpsProtocols().contains("h2")
            ? settingsFrame(BrowserProfiles.get("chrome").http2().settings())
            : new byte[0];
    List<Integer> echLengths =
        hello.ech().map(ech -> List.of(ech.payloadLength())).orElse(List.of());
    TlsRandomisation randomisation = new TlsRandomisation(false, true, echLengths, false);
    return new NamedHello(
        name,
        List.of(),
        HelloTemplate.of(name, randomisation, hello, crypto, alps),
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

  /** An HTTP/2 SETTINGS frame carrying {@code settings} in order: Chrome's ALPS value for h2. */
  private static byte[] settingsFrame(List<AkamaiFingerprint.Http2Setting> settings) {
    int length = settings.size() * 6;
    byte[] frame = new byte[9 + length];
    frame[0] = (byte) (length >>> 16);
    frame[1] = (byte) (length >>> 8);
    frame[2] = (byte) length;
    frame[3] = 4; // SETTINGS
    int p = 9;
    for (AkamaiFingerprint.Http2Setting s : settings) {
      frame[p++] = (byte) (s.id() >>> 8);
      frame[p++] = (byte) s.id();
      frame[p++] = (byte) (s.value() >>> 24);
      frame[p++] = (byte) (s.value() >>> 16);
      frame[p++] = (byte) (s.value() >>> 8);
      frame[p++] = (byte) s.value();
    }
    return frame;
  }
}
