package dev.guise.fingerprint;

import dev.guise.api.Header;
import dev.guise.fingerprint.AkamaiFingerprint.Priority;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One browser as Guise reproduces it: its ClientHello, what it randomises, its HTTP/2 behaviour and
 * its default navigation request headers, all built from a reference capture of the real browser
 * (see {@link BrowserProfiles} for the catalogue and which captures).
 *
 * <p>Immutable and thread-safe.
 *
 * <h2>Header merge rules</h2>
 *
 * {@link #mergeHeaders(HeaderOverrides)} turns the {@link #defaultHeaders() defaults} and a
 * caller's overrides into the list to send:
 *
 * <ol>
 *   <li>A removed name drops every default of that name.
 *   <li>A set header whose name is a default's replaces that default in place, with the caller's
 *       value and the browser's (lower-case) spelling of the name. Further values of the same name
 *       follow it directly.
 *   <li>A set header that is not a default goes where the browser puts it when the profile knows
 *       the browser's position for that name ({@link #knownHeaderOrder()}): before the first header
 *       already in the list that the browser sends later. Otherwise it goes last, in the caller's
 *       order. Its name is lower-cased (HTTP/2 requires it).
 *   <li>Headers the browser always sends last ({@link #pinnedLastHeaders()}, Firefox's {@code te})
 *       stay last.
 * </ol>
 *
 * The positions of headers that a plain navigation does not send (content-type, origin, referer,
 * cookie, ...) cannot be read from the captures (which are GET navigations); they are the browsers'
 * known behaviour and are marked as such in {@link BrowserProfiles}.
 */
public final class BrowserProfile {
  private final String name;
  private final List<String> aliases;
  private final String description;
  private final ClientHello referenceHello;
  private final TlsRandomisation tlsRandomisation;
  private final Http2Behaviour http2;
  private final List<Header> defaultHeaders;
  private final List<String> knownHeaderOrder;
  private final Set<String> pinnedLast;
  private final RequestRules requestRules;
  private final Map<String, Integer> rank = new HashMap<>();
  private final Ja4 expectedJa4;
  private final Ja3 referenceJa3;
  private final ClientHello resumedReferenceHello; // null: no resumed hello captured

  /**
   * Builds a profile. {@link BrowserProfiles} is the usual source; this constructor is public for
   * tools that build profiles from other captures.
   *
   * @param knownHeaderOrder every header name whose position the browser is known to use, in the
   *     browser's order (lower case); must contain every default header in the defaults' order
   * @param pinnedLast names that always go last (lower case), in order
   * @throws IllegalArgumentException if the known order contradicts the defaults
   */
  public BrowserProfile(
      String name,
      List<String> aliases,
      String description,
      ClientHello referenceHello,
      TlsRandomisation tlsRandomisation,
      Http2Behaviour http2,
      List<Header> defaultHeaders,
      List<String> knownHeaderOrder,
      Set<String> pinnedLast) {
    this(
        name,
        aliases,
        description,
        referenceHello,
        tlsRandomisation,
        http2,
        defaultHeaders,
        knownHeaderOrder,
        pinnedLast,
        RequestRules.none());
  }

  BrowserProfile(
      String name,
      List<String> aliases,
      String description,
      ClientHello referenceHello,
      TlsRandomisation tlsRandomisation,
      Http2Behaviour http2,
      List<Header> defaultHeaders,
      List<String> knownHeaderOrder,
      Set<String> pinnedLast,
      RequestRules requestRules) {
    this.requestRules = Objects.requireNonNull(requestRules, "requestRules");
    this.name = Objects.requireNonNull(name, "name");
    this.aliases = List.copyOf(aliases);
    this.description = Objects.requireNonNull(description, "description");
    this.referenceHello = Objects.requireNonNull(referenceHello, "referenceHello");
    this.tlsRandomisation = Objects.requireNonNull(tlsRandomisation, "tlsRandomisation");
    this.http2 = Objects.requireNonNull(http2, "http2");
    this.defaultHeaders = List.copyOf(defaultHeaders);
    this.knownHeaderOrder = List.copyOf(knownHeaderOrder);
    this.pinnedLast = Set.copyOf(pinnedLast);
    for (int i = 0; i < this.knownHeaderOrder.size(); i++) {
      rank.put(this.knownHeaderOrder.get(i), i);
    }
    int last = -1;
    for (Header h : this.defaultHeaders) {
      Integer r = rank.get(h.name());
      if (r == null || r <= last) {
        throw new IllegalArgumentException(
            name
                + ": default header "
                + h.name()
                + " is missing from, or out of order in, the known order");
      }
      last = r;
    }
    this.expectedJa4 = Ja4.of(referenceHello);
    this.referenceJa3 = Ja3.of(referenceHello);
    this.resumedReferenceHello = null;
  }

  private BrowserProfile(BrowserProfile base, ClientHello resumed) {
    this.requestRules = base.requestRules;
    this.name = base.name;
    this.aliases = base.aliases;
    this.description = base.description;
    this.referenceHello = base.referenceHello;
    this.tlsRandomisation = base.tlsRandomisation;
    this.http2 = base.http2;
    this.defaultHeaders = base.defaultHeaders;
    this.knownHeaderOrder = base.knownHeaderOrder;
    this.pinnedLast = base.pinnedLast;
    this.rank.putAll(base.rank);
    this.expectedJa4 = base.expectedJa4;
    this.referenceJa3 = base.referenceJa3;
    this.resumedReferenceHello = resumed;
  }

  /**
   * This profile with {@code resumed} as the browser's resumed ClientHello: the hello it sent when
   * it offered a session ticket (a {@code pre_shared_key} extension, last). Engines that resume
   * shape their resumed hellos after it (which extensions the browser adds or drops when it
   * resumes).
   *
   * @throws IllegalArgumentException if {@code resumed} offers no {@code pre_shared_key}
   */
  public BrowserProfile withResumedHello(ClientHello resumed) {
    Objects.requireNonNull(resumed, "resumed");
    if (!resumed.hasExtension(ClientHello.EXT_PRE_SHARED_KEY)) {
      throw new IllegalArgumentException(
          name + ": a resumed ClientHello must offer pre_shared_key (0x0029)");
    }
    return new BrowserProfile(this, resumed);
  }

  /**
   * The browser's captured resumed ClientHello (the one that offered a session ticket), if the
   * profile has one; see {@link #withResumedHello(ClientHello)}.
   */
  public Optional<ClientHello> resumedReferenceHello() {
    return Optional.ofNullable(resumedReferenceHello);
  }

  /** The profile name, e.g. {@code chrome-156}. */
  public String name() {
    return name;
  }

  /** Other names for this profile, e.g. {@code chrome}. */
  public List<String> aliases() {
    return aliases;
  }

  /** Where the profile comes from (browser build, capture). */
  public String description() {
    return description;
  }

  /** Whether {@code candidate} is this profile's name or an alias, ignoring ASCII case. */
  public boolean answersTo(String candidate) {
    if (name.equalsIgnoreCase(candidate)) {
      return true;
    }
    for (String a : aliases) {
      if (a.equalsIgnoreCase(candidate)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The captured ClientHello: the template an engine reproduces, varying only what {@link
   * #tlsRandomisation()} says (and the server name).
   */
  public ClientHello referenceHello() {
    return referenceHello;
  }

  /** What the browser randomises per connection. */
  public TlsRandomisation tlsRandomisation() {
    return tlsRandomisation;
  }

  /**
   * The differences between {@code candidate} and the {@link #referenceHello() reference} that the
   * browser would not produce: an empty list means {@code candidate} could have come from this
   * browser. Ignored: client random, session id bytes, key share bytes, server name, padding,
   * session ticket and PSK contents, and whatever {@link #tlsRandomisation()} allows.
   */
  public List<String> differencesFrom(ClientHello candidate) {
    return HelloComparison.differences(referenceHello, tlsRandomisation, candidate);
  }

  /** The JA4 every faithful hello of this browser has. */
  public String expectedJa4() {
    return expectedJa4.ja4();
  }

  /** All four JA4 forms of the reference hello; {@code ja4o}/{@code ja4ro} vary for Chrome. */
  public Ja4 referenceJa4() {
    return expectedJa4;
  }

  /**
   * The JA3 hash every faithful hello of this browser has; empty when the browser permutes its
   * extensions (Chrome), which gives a different JA3 per connection.
   */
  public Optional<String> expectedJa3() {
    return tlsRandomisation.permutesExtensions()
        ? Optional.empty()
        : Optional.of(referenceJa3.hash());
  }

  /** The JA3N hash (extensions sorted), stable for every browser. */
  public String expectedJa3n() {
    return referenceJa3.normalizedHash();
  }

  /** The Akamai HTTP/2 fingerprint. */
  public String expectedAkamai() {
    return http2.akamai().value();
  }

  /** The HTTP/2 wire behaviour. */
  public Http2Behaviour http2() {
    return http2;
  }

  /** The ALPN protocols offered, in order. */
  public List<String> alpn() {
    return referenceHello.alpn();
  }

  /**
   * The headers of a top-level navigation request (no pseudo-headers), in the browser's order with
   * its values.
   */
  public List<Header> defaultHeaders() {
    return defaultHeaders;
  }

  /** The header names whose position this profile knows, in the browser's order. */
  public List<String> knownHeaderOrder() {
    return knownHeaderOrder;
  }

  /** Header names the browser always sends last. */
  public Set<String> pinnedLastHeaders() {
    return pinnedLast;
  }

  /** {@link #mergeHeaders(HeaderOverrides)} with {@code caller} as headers to set. */
  public List<Header> mergeHeaders(List<Header> caller) {
    return mergeHeaders(HeaderOverrides.of(caller));
  }

  /** The default headers changed by {@code overrides}; see the class comment for the rules. */
  public List<Header> mergeHeaders(HeaderOverrides overrides) {
    Objects.requireNonNull(overrides, "overrides");
    if (overrides.set().isEmpty() && overrides.removed().isEmpty()) {
      return defaultHeaders; // immutable: most requests change nothing
    }
    List<Header> out = new ArrayList<>();
    for (Header h : defaultHeaders) {
      if (!overrides.removed().contains(h.name())) {
        out.add(h);
      }
    }
    overrides.mergeInto(out, this::insertionPoint);
    return List.copyOf(out);
  }

  /** Whether the profile has the browser's rules for {@code kind} (from a session capture). */
  public boolean supports(RequestKind kind) {
    return requestRules.supports(kind);
  }

  /**
   * The headers of a request of {@code kind} (no pseudo-headers), in the browser's order, with
   * {@code overrides} merged in: a header the kind sends is replaced in place; one the kind sends
   * only when the request has it ({@code sec-fetch-site}, {@code sec-fetch-user}, {@code referer},
   * {@code origin}, {@code cookie}, {@code content-type}, {@code content-length}) goes to the
   * browser's position for it; any other goes where the browser puts a header a page's script set,
   * for the kinds whose capture shows it ({@code fetch} and {@code xhr}: the kind's {@code
   * author_headers}; Firefox: one block in the caller's order, its {@code content-type} with them),
   * and for the other kinds before {@code priority}, the last header of both browsers' lists but
   * Firefox's {@code te}. The profile's resource {@code <name>-requests.json} holds the lists,
   * derived from the session captures and {@code guise capture}'s.
   *
   * @param redirectHop whether the request follows a redirect (Chrome reorders a navigation's
   *     client hints on that hop)
   * @throws IllegalArgumentException if the profile has no rules for {@code kind}
   */
  public List<Header> requestHeaders(
      RequestKind kind, boolean redirectHop, HeaderOverrides overrides) {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(overrides, "overrides");
    return requestRules.headers(kind, redirectHop, overrides, pinnedLast);
  }

  /**
   * Whether the browser sends {@code origin} on every request of {@code kind}, same-origin GETs
   * included: Chromium's fonts do, where Fetch (and Firefox) send it on a CORS request only to
   * another origin or with a method other than GET and HEAD. From the kind's {@code "origin":
   * "always"} in the profile's request rules, which {@code guise capture} writes when it saw it.
   *
   * @throws IllegalArgumentException if the profile has no rules for {@code kind}
   */
  public boolean sendsOriginAlways(RequestKind kind) {
    return requestRules.originAlways(Objects.requireNonNull(kind, "kind"));
  }

  /**
   * The priority block of the HEADERS frame of a request of {@code kind}: exclusive flag and weight
   * as the browser sends them; the dependency here is stream 0, and the connection replaces it as
   * {@link #streamDependency()} says (it depends on the streams open at the time).
   *
   * @throws IllegalArgumentException if the profile has no rules for {@code kind}
   */
  public Priority headersPriority(RequestKind kind, boolean redirectHop) {
    return requestRules.framePriority(kind, redirectHop);
  }

  /**
   * Which stream a HEADERS priority block depends on; {@link StreamDependency#ROOT} for a profile
   * without session rules.
   */
  public StreamDependency streamDependency() {
    return requestRules.streamDependency();
  }

  /** How the browser's HPACK encoder represents request fields. */
  public HeaderCompression headerCompression() {
    return requestRules.compression();
  }

  private int insertionPoint(List<Header> out, String lower) {
    if (pinnedLast.contains(lower)) {
      return out.size();
    }
    Integer r = rank.get(lower);
    int end = out.size();
    while (end > 0 && pinnedLast.contains(out.get(end - 1).name())) {
      end--;
    }
    if (r == null) {
      return end;
    }
    for (int i = 0; i < end; i++) {
      Integer other = rank.get(out.get(i).name());
      if (other != null && other > r) {
        return i;
      }
    }
    return end;
  }

  @Override
  public String toString() {
    return name + " " + aliases + " (" + expectedJa4() + ")";
  }
}
