package dev.guise.fingerprint;

import dev.guise.api.Header;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The catalogue of browser profiles, built once (on first use) from the reference captures bundled
 * in this module.
 *
 * <ul>
 *   <li>{@code chrome-156} (alias {@code chrome}): Chromium 156.0.8078.79 on Debian 12, capture
 *       {@code chromium1-conn03}: the first connection of a fresh launch, the one that carried the
 *       page (so it has the HTTP/2 side), with a mid-range ECH GREASE payload (176 bytes). The
 *       other Chromium captures differ from it only in what Chrome randomises (tested). The
 *       User-Agent is the desktop one: the capture's {@code HeadlessChrome/} token becomes {@code
 *       Chrome/}; {@code sec-ch-ua} (Chromium's brand list, no headless brand) already matches it.
 *   <li>{@code firefox-153} (alias {@code firefox}): Firefox ESR 153.7.0 on Debian 12, capture
 *       {@code firefox1-conn06}, the connection that carried the page; the second launch's capture
 *       differs only in the random values (tested). Its User-Agent is already the desktop one.
 * </ul>
 *
 * <p>Each profile's rules per {@link RequestKind} (sub-resources, fetches, redirect hops, the HPACK
 * habits) are in {@code <name>-requests.json}, derived from the session captures of Chromium
 * 156.0.8078.114 and Firefox ESR 153.8.0 (same fingerprints as the captures above).
 *
 * <p>Header positions beyond the captured GET navigation (content-type, content-length, origin,
 * referer, cookie, cache-control, conditional headers) come from the browsers' known request header
 * order, not from these captures.
 *
 * <p>Thread-safe; profiles are immutable and shared.
 */
public final class BrowserProfiles {
  private BrowserProfiles() {}

  private static final class Holder {
    static final List<BrowserProfile> ALL = List.of(chrome(), firefox());
  }

  /** Every profile, newest Chrome first. */
  public static List<BrowserProfile> all() {
    return Holder.ALL;
  }

  /**
   * The profile called {@code name} or having it as an alias (ASCII case ignored).
   *
   * @throws IllegalArgumentException if there is none; the message lists the known names
   */
  public static BrowserProfile get(String name) {
    for (BrowserProfile p : Holder.ALL) {
      if (p.answersTo(name)) {
        return p;
      }
    }
    List<String> known = new ArrayList<>();
    for (BrowserProfile p : Holder.ALL) {
      known.add(
          p.name() + (p.aliases().isEmpty() ? "" : " (" + String.join(", ", p.aliases()) + ")"));
    }
    throw new IllegalArgumentException(
        "unknown browser profile '" + name + "'; known: " + String.join(", ", known));
  }

  private static BrowserProfile chrome() {
    CaptureLoader capture = CaptureLoader.load("chromium1-conn03");
    List<Header> headers = new ArrayList<>();
    for (Header h : capture.requestHeaders()) {
      headers.add(
          h.is("user-agent")
              ? new Header(h.name(), h.value().replace("HeadlessChrome/", "Chrome/"))
              : h);
    }
    BrowserProfile profile =
        new BrowserProfile(
            "chrome-156",
            List.of("chrome"),
            "Chromium 156.0.8078.79 (Debian 12), Linux desktop; capture chromium1-conn03",
            capture.hello(),
            // BoringSSL pads the ECH GREASE payload to a multiple of 32 between 128 and 224 bytes
            // and
            // adds the 16-byte AEAD tag: 144, 176, 208 or 240 (the captures show 176, 208, 240).
            new TlsRandomisation(true, true, List.of(144, 176, 208, 240), false),
            capture.http2(),
            headers,
            List.of(
                "content-length",
                "cache-control",
                "sec-ch-ua",
                "sec-ch-ua-mobile",
                "sec-ch-ua-platform",
                "origin",
                "content-type",
                "upgrade-insecure-requests",
                "user-agent",
                "accept",
                "sec-fetch-site",
                "sec-fetch-mode",
                "sec-fetch-user",
                "sec-fetch-dest",
                "referer",
                "accept-encoding",
                "accept-language",
                "cookie",
                "if-none-match",
                "if-modified-since",
                "priority"),
            Set.of(),
            RequestRules.load("chrome-156", headers));
    // Chromium 156.0.8078.114's resumed hello (session capture chromium1 conn06): same build line.
    return profile.withResumedHello(CaptureLoader.resumedHello("chromium1-resumed-conn06"));
  }

  private static BrowserProfile firefox() {
    CaptureLoader capture = CaptureLoader.load("firefox1-conn06");
    BrowserProfile profile =
        new BrowserProfile(
            "firefox-153",
            List.of("firefox"),
            "Firefox ESR 153.7.0 (Debian 12), Linux desktop; capture firefox1-conn06",
            capture.hello(),
            // NSS sends an ECH GREASE extension whose payload length was 239 in both launches; the
            // reference README notes that its AEAD id varies.
            new TlsRandomisation(false, false, List.of(239), true),
            capture.http2(),
            capture.requestHeaders(),
            List.of(
                "user-agent",
                "accept",
                "accept-language",
                "accept-encoding",
                "content-type",
                "content-length",
                "origin",
                "referer",
                "cookie",
                "upgrade-insecure-requests",
                "sec-fetch-dest",
                "sec-fetch-mode",
                "sec-fetch-site",
                "sec-fetch-user",
                "if-modified-since",
                "if-none-match",
                "priority",
                "te"),
            Set.of("te"),
            RequestRules.load("firefox-153", capture.requestHeaders()));
    // Firefox ESR 153.8.0's resumed hello (session capture firefox1 conn20).
    return profile.withResumedHello(CaptureLoader.resumedHello("firefox1-resumed-conn20"));
  }
}
