package dev.guise.tls.conscrypt.internal;

import dev.guise.api.Fidelity;
import dev.guise.api.FingerprintOffer;
import dev.guise.fingerprint.BrowserProfile;
import dev.guise.fingerprint.BrowserProfiles;
import dev.guise.fingerprint.ClientHello;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The profiles the Conscrypt engine can present.
 *
 * <p>The Chrome approximation is derived from the chrome-156 reference capture (its cipher suites
 * and groups in their order, its ALPN list), so it follows the catalogue rather than a second copy
 * typed here. The JA4 values are constants: computing them at run time would mean a loopback
 * handshake on first use, and a constant costs nothing. They are facts, not hopes: {@code
 * ConscryptJa4Test} captures the hello Conscrypt really sends for each profile, computes its JA4
 * with the fingerprint module and fails when it differs from the constant here (after a Conscrypt
 * upgrade, for example). Never edit them without that test's measurement.
 */
public final class ConscryptHellos {
  private ConscryptHellos() {}

  /** Conscrypt's own hello. */
  public static final String DEFAULT_PROFILE = "conscrypt-default";

  /** The Chrome profile this engine approximates. */
  public static final String CHROME_PROFILE = "chrome-156";

  /** Measured with Conscrypt 2.9.0 (BoringSSL 427ec40c), ALPN h2 + http/1.1, SNI set. */
  static final String DEFAULT_JA4 = "t13d1711h2_5b57614c22b0_86dd91ae2a36";

  /** Measured with Conscrypt 2.9.0; Chrome 156 itself is t13d1517h2_8daaf6152771_cb7bf5808d99. */
  static final String CHROME_JA4 = "t13d1512h2_8daaf6152771_40271e0a5736";

  private static final List<String> HTTP_ALPN = List.of("h2", "http/1.1");

  /** IANA cipher suite code to its standard name, for the suites Conscrypt 2.9.0 implements. */
  private static final Map<Integer, String> CIPHER_NAMES =
      Map.ofEntries(
          Map.entry(0x1301, "TLS_AES_128_GCM_SHA256"),
          Map.entry(0x1302, "TLS_AES_256_GCM_SHA384"),
          Map.entry(0x1303, "TLS_CHACHA20_POLY1305_SHA256"),
          Map.entry(0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
          Map.entry(0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
          Map.entry(0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"),
          Map.entry(0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"),
          Map.entry(0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"),
          Map.entry(0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
          Map.entry(0xc009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"),
          Map.entry(0xc00a, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"),
          Map.entry(0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"),
          Map.entry(0xc014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"),
          Map.entry(0x009c, "TLS_RSA_WITH_AES_128_GCM_SHA256"),
          Map.entry(0x009d, "TLS_RSA_WITH_AES_256_GCM_SHA384"),
          Map.entry(0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA"),
          Map.entry(0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA"));

  /** IANA group code to the name Conscrypt's {@code setNamedGroups} takes. */
  private static final Map<Integer, String> GROUP_NAMES =
      Map.of(
          0x11ec, "X25519MLKEM768",
          0x001d, "X25519",
          0x0017, "P-256",
          0x0018, "P-384",
          0x0019, "P-521");

  private static final class Holder {
    static final List<HelloSettings> ALL = List.of(conscryptDefault(), chrome());
  }

  /** Every profile, the engine's own first. */
  public static List<HelloSettings> all() {
    return Holder.ALL;
  }

  /** The offers of {@link #all()}. */
  public static List<FingerprintOffer> offers() {
    return all().stream().map(HelloSettings::offer).toList();
  }

  /** The profile answering to {@code name} (canonical name or alias, ASCII case ignored). */
  public static Optional<HelloSettings> find(String name) {
    for (HelloSettings p : all()) {
      if (p.offer().answersTo(name)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  private static HelloSettings conscryptDefault() {
    return new HelloSettings(
        DEFAULT_PROFILE,
        List.of(),
        Fidelity.NONE,
        DEFAULT_JA4,
        "Conscrypt's own ClientHello (BoringSSL defaults, ALPN h2 and http/1.1); "
            + "looks like BoringSSL, not like a browser",
        List.of(),
        List.of(),
        false,
        HTTP_ALPN);
  }

  private static HelloSettings chrome() {
    BrowserProfile chrome = BrowserProfiles.get(CHROME_PROFILE);
    ClientHello reference = chrome.referenceHello();
    List<String> ciphers = new ArrayList<>();
    List<String> notSent = new ArrayList<>();
    for (int code : reference.cipherSuites()) {
      if (ClientHello.isGrease(code)) {
        continue;
      }
      String cipher = CIPHER_NAMES.get(code);
      if (cipher == null) {
        notSent.add(String.format("cipher suite 0x%04x", code));
      } else {
        ciphers.add(cipher);
      }
    }
    List<String> groups = new ArrayList<>();
    for (int code : reference.supportedGroups()) {
      if (ClientHello.isGrease(code)) {
        continue;
      }
      String group = GROUP_NAMES.get(code);
      if (group == null) {
        notSent.add(String.format("group 0x%04x", code));
      } else {
        groups.add(group);
      }
    }
    String note =
        "approximates "
            + chrome.name()
            + " (whose JA4 is "
            + chrome.expectedJa4()
            + "): same cipher suites in the same order, same groups with key shares for the first"
            + " two (X25519MLKEM768 and x25519), same ALPN, session tickets, SNI, status_request."
            + " Differs: no GREASE anywhere, BoringSSL's fixed extension order (Chrome permutes"
            + " it), no certificate compression, no ALPS, no ECH GREASE, no"
            + " signed_certificate_timestamp, no trust_anchors, BoringSSL's signature algorithms"
            + " (with rsa_pkcs1_sha1, without ML-DSA)"
            + (notSent.isEmpty() ? "" : "; not sent: " + String.join(", ", notSent));
    return new HelloSettings(
        chrome.name(),
        chrome.aliases(),
        Fidelity.APPROXIMATE,
        CHROME_JA4,
        note,
        ciphers,
        groups,
        true,
        chrome.alpn());
  }
}
