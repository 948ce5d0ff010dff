package dev.guise.pool.internal.exchange;

import dev.guise.api.Header;
import dev.guise.api.NegotiatedTls;
import dev.guise.codec.http1.Http1FieldLines;
import dev.guise.fingerprint.AkamaiFingerprint.Http2Setting;
import dev.guise.fingerprint.AkamaiFingerprint.Priority;
import dev.guise.fingerprint.BrowserProfile;
import dev.guise.fingerprint.BrowserProfiles;
import dev.guise.fingerprint.HeaderCompression;
import dev.guise.fingerprint.HeaderOverrides;
import dev.guise.fingerprint.Http2Behaviour;
import dev.guise.fingerprint.RequestKind;
import dev.guise.fingerprint.StreamDependency;
import dev.guise.pool.http.HttpRequest;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an HTTP connection puts on the wire after the handshake for one profile: the HTTP/2 preface
 * and per-request frame behaviour, and the request headers in the browser's order.
 *
 * <p>Built from a {@link BrowserProfile} ({@code chrome-156}, {@code firefox-153}) or, for the JDK
 * engine's {@code jdk-default}, a neutral profile that claims no browser.
 *
 * <p>HTTP/1.1 header order: browsers build one request header list and hand it to whichever
 * protocol the connection speaks, so the HTTP/1.1 order is the HTTP/2 order with the pseudo-headers
 * turned into the request line and {@code Host} (first, where both Chrome and Firefox put it), plus
 * {@code Connection: keep-alive} where each browser adds it (Chrome right after {@code Host};
 * Firefox after {@code Accept-Encoding}). Names are written in the browsers' HTTP/1.1 spelling:
 * Title-Case, except Chrome's client hints ({@code sec-ch-ua*}), which it sends in lower case.
 * HTTP/2-only headers are left out: Firefox's {@code te: trailers} and Chrome's {@code priority}
 * (Chrome derives it from the HTTP/2 stream priority and does not send it on HTTP/1.1; Firefox
 * sends it on both).
 *
 * <p>Immutable and thread-safe.
 */
public final class RequestTemplate {
  /** The neutral profile's name, the JDK engine's only offer. */
  public static final String NEUTRAL_NAME = "jdk-default";

  private static final Set<String> CONNECTION_SPECIFIC =
      Set.of(
          "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "host");

  private final String name;
  private final Http2Behaviour http2;
  private final Optional<BrowserProfile> browser;
  private final List<Header> neutralDefaults;
  private final boolean connectionAfterHost;
  private final Set<String> h2Only;
  private final boolean lowerCaseClientHints;

  /**
   * The HTTP/1.1 form of each of the profile's own default headers, made once. The merged list of a
   * request holds the very instances the profile keeps for the defaults it sends unchanged, so they
   * are looked up by identity: a caller's header never is (its value is never kept here). Written
   * in the constructor only.
   */
  private final Map<Header, Header> http1Defaults = new IdentityHashMap<>();

  private static final Header KEEP_ALIVE = new Header("Connection", "keep-alive");

  /**
   * The HTTP/1.1 lines of the headers above, encoded once: every request of the profile sends most
   * of them unchanged, as these very instances.
   */
  private final Http1FieldLines http1Lines;

  private RequestTemplate(
      String name,
      Http2Behaviour http2,
      Optional<BrowserProfile> browser,
      List<Header> neutralDefaults,
      boolean connectionAfterHost,
      Set<String> h2Only,
      boolean lowerCaseClientHints) {
    this.name = name;
    this.http2 = http2;
    this.browser = browser;
    this.neutralDefaults = neutralDefaults;
    this.connectionAfterHost = connectionAfterHost;
    this.h2Only = h2Only;
    this.lowerCaseClientHints = lowerCaseClientHints;
    for (Header h : browser.map(BrowserProfile::defaultHeaders).orElse(neutralDefaults)) {
      http1Defaults.put(h, new Header(http1Name(h.name()), h.value()));
    }
    List<Header> constant = new ArrayList<>(http1Defaults.values());
    constant.add(KEEP_ALIVE);
    this.http1Lines = Http1FieldLines.of(constant);
  }

  /** The profile for a browser. */
  public static RequestTemplate of(BrowserProfile profile) {
    Objects.requireNonNull(profile, "profile");
    boolean chrome = profile.name().startsWith("chrome");
    return new RequestTemplate(
        profile.name(),
        profile.http2(),
        Optional.of(profile),
        List.of(),
        chrome,
        chrome ? Set.of("priority", "te") : Set.of("te"),
        chrome);
  }

  /**
   * A profile that claims no browser, for the JDK engine: RFC defaults where they are sensible,
   * push off, a 16 MiB connection window, plain headers.
   */
  public static RequestTemplate neutral() {
    Http2Behaviour h2 =
        new Http2Behaviour(
            List.of(
                new Http2Setting(1, 4096),
                new Http2Setting(2, 0),
                new Http2Setting(4, 4 * 1024 * 1024),
                new Http2Setting(6, 262_144)),
            OptionalLong.of(16L * 1024 * 1024 - 65_535),
            List.of(),
            Optional.empty(),
            1,
            OptionalLong.empty(),
            List.of(":method", ":scheme", ":authority", ":path"));
    return new RequestTemplate(
        NEUTRAL_NAME,
        h2,
        Optional.empty(),
        List.of(
            new Header("user-agent", "guise/0.1"),
            new Header("accept", "*/*"),
            new Header("accept-encoding", "gzip, deflate, br, zstd")),
        true,
        Set.of(),
        false);
  }

  /**
   * The profile an engine presented, by the name in {@link NegotiatedTls#profile()}.
   *
   * @throws IllegalArgumentException for a name neither neutral nor a known browser
   */
  public static RequestTemplate forName(String profileName) {
    if (NEUTRAL_NAME.equalsIgnoreCase(profileName)) {
      return Shared.NEUTRAL;
    }
    BrowserProfile profile = BrowserProfiles.get(profileName);
    // Every connection of a profile shares its template. Kept per profile name, and made again when
    // the registry answers the name with another profile (a profile pack loaded since): bounded by
    // the registry's names.
    RequestTemplate shared = Shared.BY_NAME.get(profile.name());
    if (shared == null || shared.browser.orElse(null) != profile) {
      shared = of(profile);
      Shared.BY_NAME.put(profile.name(), shared);
    }
    return shared;
  }

  /** The templates {@link #forName} shares among connections. */
  private static final class Shared {
    static final RequestTemplate NEUTRAL = neutral();
    static final ConcurrentHashMap<String, RequestTemplate> BY_NAME = new ConcurrentHashMap<>();
  }

  /** The profile name. */
  public String name() {
    return name;
  }

  /** The HTTP/2 preface and per-request frame behaviour. */
  public Http2Behaviour http2() {
    return http2;
  }

  /** A setting of the first SETTINGS frame, if the profile sends it. */
  public OptionalLong setting(int id) {
    for (Http2Setting s : http2.settings()) {
      if (s.id() == id) {
        return OptionalLong.of(s.value());
      }
    }
    return OptionalLong.empty();
  }

  /** The priority of each request HEADERS frame, if the browser sets the PRIORITY flag. */
  public Optional<Priority> headersPriority() {
    return http2.headersPriority();
  }

  /**
   * The priority of the HEADERS frame of a request of {@code kind}: the browser's for that kind
   * when the request has one and the browser sets the PRIORITY flag, else {@link
   * #headersPriority()}.
   */
  public Optional<Priority> headersPriority(Optional<RequestKind> kind, boolean redirectHop) {
    if (kind.isEmpty() || browser.isEmpty() || http2.headersPriority().isEmpty()) {
      return http2.headersPriority();
    }
    return Optional.of(browser.get().headersPriority(kind.get(), redirectHop));
  }

  /**
   * Which stream a HEADERS priority block depends on: the browser's rule, {@link
   * StreamDependency#ROOT} for the neutral profile.
   */
  public StreamDependency streamDependency() {
    return browser.map(BrowserProfile::streamDependency).orElse(StreamDependency.ROOT);
  }

  /** How the browser's HPACK encoder represents fields; incremental for the neutral profile. */
  public HeaderCompression headerCompression() {
    return browser.map(BrowserProfile::headerCompression).orElse(HeaderCompression.incremental());
  }

  /**
   * The request headers to send (no pseudo-headers, lower-case names, the browser's order): the
   * profile's defaults with {@code callerHeaders} merged in, connection-specific headers removed
   * (HTTP/2 forbids them; HTTP/1.1 adds its own).
   */
  public List<Header> requestHeaders(List<Header> callerHeaders) {
    return requestHeaders(Optional.empty(), false, callerHeaders);
  }

  /**
   * The request's own headers, with {@code origin} added where this profile's browser sends it on
   * every request of the request's kind (Chromium's same-origin fonts) and a session named the
   * initiator's origin; a caller's own {@code origin} header wins.
   */
  public List<Header> callerHeaders(HttpRequest request) {
    List<Header> caller = new ArrayList<>(request.headers());
    boolean originAlways =
        browser.isPresent()
            && request.kind().isPresent()
            && browser.get().supports(request.kind().get())
            && browser.get().sendsOriginAlways(request.kind().get());
    if (originAlways
        && request.initiatorOrigin().isPresent()
        && caller.stream().noneMatch(h -> h.is("origin"))) {
      caller.add(new Header("origin", request.initiatorOrigin().get()));
    }
    return caller;
  }

  /**
   * As {@link #requestHeaders(List)}, for a request of {@code kind}: the browser's list for that
   * kind ({@link BrowserProfile#requestHeaders}); the navigation defaults when the kind is empty.
   * The neutral profile claims no browser and ignores the kind.
   *
   * @throws IllegalArgumentException if the profile has no rules for the kind
   */
  public List<Header> requestHeaders(
      Optional<RequestKind> kind, boolean redirectHop, List<Header> callerHeaders) {
    List<Header> caller = new ArrayList<>(callerHeaders.size());
    for (Header h : callerHeaders) {
      if (!CONNECTION_SPECIFIC.contains(h.name().toLowerCase(Locale.ROOT))) {
        caller.add(h);
      }
    }
    if (browser.isPresent()) {
      return kind.isPresent()
          ? browser.get().requestHeaders(kind.get(), redirectHop, HeaderOverrides.of(caller))
          : browser.get().mergeHeaders(caller);
    }
    List<Header> out = new ArrayList<>(neutralDefaults);
    for (Header h : caller) {
      String lower = h.name().toLowerCase(Locale.ROOT);
      Header normalised = new Header(lower, h.value());
      int at = -1;
      for (int i = 0; i < out.size(); i++) {
        if (out.get(i).name().equals(lower) && neutralDefaults.contains(out.get(i))) {
          at = i;
          break;
        }
      }
      if (at >= 0) {
        out.set(at, normalised);
      } else {
        out.add(normalised);
      }
    }
    return List.copyOf(out);
  }

  /**
   * The HTTP/1.1 header section (after the request line): {@code Host}, the merged headers in the
   * browser's order and spelling, and {@code Connection: keep-alive}; see the class comment.
   */
  public List<Header> http1Headers(String authority, List<Header> callerHeaders) {
    return http1Headers(authority, Optional.empty(), false, callerHeaders);
  }

  /** As {@link #http1Headers(String, List)}, for a request of {@code kind}. */
  public List<Header> http1Headers(
      String authority,
      Optional<RequestKind> kind,
      boolean redirectHop,
      List<Header> callerHeaders) {
    List<Header> merged = requestHeaders(kind, redirectHop, callerHeaders);
    List<Header> out = new ArrayList<>(merged.size() + 2);
    out.add(new Header("Host", authority));
    boolean connectionAdded = false;
    if (connectionAfterHost) {
      out.add(KEEP_ALIVE);
      connectionAdded = true;
    }
    for (Header h : merged) {
      if (h2Only.contains(h.name())) {
        continue;
      }
      Header made = http1Defaults.get(h);
      out.add(made != null ? made : new Header(http1Name(h.name()), h.value()));
      if (!connectionAdded && h.name().equals("accept-encoding")) {
        out.add(KEEP_ALIVE);
        connectionAdded = true;
      }
    }
    if (!connectionAdded) {
      out.add(KEEP_ALIVE);
    }
    return out;
  }

  /**
   * The encoded lines of the headers {@link #http1Headers} puts in every request unchanged, for the
   * writer to copy (the head is the same octets with or without them).
   */
  public Http1FieldLines http1Lines() {
    return http1Lines;
  }

  private String http1Name(String lower) {
    if (lowerCaseClientHints && lower.startsWith("sec-ch-")) {
      return lower;
    }
    StringBuilder sb = new StringBuilder(lower.length());
    boolean upper = true;
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      sb.append(upper && c >= 'a' && c <= 'z' ? (char) (c - 32) : c);
      upper = c == '-';
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return name;
  }
}
