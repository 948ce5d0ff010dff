package dev.guise.session.internal;

import dev.guise.session.Cookie;
import dev.guise.session.CookieContext;
import dev.guise.session.CookieJar;
import dev.guise.session.SameSite;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A cookie jar that stores and sends cookies as Chrome does: RFC 6265bis's storage model (section
 * 5.7) and retrieval (5.8.3) with Chrome's choices where the RFC leaves one:
 *
 * <ul>
 *   <li>At most {@value #MAX_PER_DOMAIN} cookies per registrable domain; one more and the jar
 *       evicts down to {@value #MAX_PER_DOMAIN} - {@value #PURGE_PER_DOMAIN}. At most {@value
 *       #MAX_COOKIES} in all; one more and it evicts down to {@value #MAX_COOKIES} - {@value
 *       #PURGE_COOKIES}. These are Chromium's {@code CookieMonster} constants ({@code
 *       kDomainMaxCookies}, {@code kDomainPurgeCookies}, {@code kMaxCookies}, {@code kPurgeCookies}
 *       in net/cookies/cookie_monster.cc). The eviction order is the RFC's (5.7, "remove excess
 *       cookies"): expired cookies first, then the least recently accessed (the earlier stored
 *       breaking ties); Chrome's further preference by {@code Priority} and for keeping {@code
 *       Secure} cookies is not modelled.
 *   <li>Expiry at most 400 days ahead (5.6), as Chrome caps it.
 *   <li>Same-site is schemeful, by registrable domain (Chrome since version 89).
 *   <li>A cookie with no {@code SameSite} is Lax, with the two-minute "Lax-allowing-unsafe"
 *       allowance for top-level cross-site POSTs (5.8.3).
 * </ul>
 *
 * <p>Guise speaks https only, so Secure cookies are always allowed; the rules for insecure origins
 * (no Secure cookie set from {@code http}, none sent to it, none shadowed from it) are still
 * applied, by the URL's scheme.
 *
 * <p>Thread-safe: one lock guards the whole store; nothing under it blocks or does I/O.
 */
public final class BrowserCookieJar implements CookieJar {

  static final int MAX_PER_DOMAIN = 180;
  static final int PURGE_PER_DOMAIN = 30;
  static final int MAX_COOKIES = 3300;
  static final int PURGE_COOKIES = 300;
  static final Duration MAX_AGE = Duration.ofDays(400);
  static final Duration LAX_ALLOWING_UNSAFE_AGE = Duration.ofMinutes(2);

  private static final Comparator<Entry> EVICTION_ORDER =
      Comparator.<Entry, Instant>comparing(e -> e.cookie.lastAccessed())
          .thenComparingLong(e -> e.sequence);

  private static final Comparator<Entry> CREATION_ORDER =
      Comparator.<Entry, Instant>comparing(e -> e.cookie.created())
          .thenComparingLong(e -> e.sequence);

  private static final Comparator<Entry> HEADER_ORDER =
      Comparator.<Entry>comparingInt(e -> -e.cookie.path().length())
          .thenComparing(e -> e.cookie.created())
          .thenComparingLong(e -> e.sequence);

  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();

  /** Cookies by the registrable domain of their domain (Chrome's eviction key), then by key. */
  private final Map<String, Map<Key, Entry>> byDomain = new HashMap<>();

  private int count;
  private long sequence;

  public BrowserCookieJar(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** What identifies a cookie in the store: a new one with the same key replaces it. */
  private record Key(String name, String domain, boolean hostOnly, String path) {
    static Key of(Cookie c) {
      return new Key(c.name(), c.domain(), c.hostOnly(), c.path());
    }
  }

  /** A stored cookie and its place in the order of storing (Instants from a clock can tie). */
  private static final class Entry {
    Cookie cookie;
    final long sequence;

    Entry(Cookie cookie, long sequence) {
      this.cookie = cookie;
      this.sequence = sequence;
    }
  }

  @Override
  public void store(CookieContext context, List<String> setCookieFields) {
    Objects.requireNonNull(context, "context");
    for (String field : setCookieFields) {
      storeField(context, field);
    }
  }

  /** Stores one {@code Set-Cookie} field; says why not when it does not. */
  public CookieRejection storeField(CookieContext context, String field) {
    SetCookieParser.Result parsed = SetCookieParser.parse(Objects.requireNonNull(field));
    if (parsed.cookie().isEmpty()) {
      return parsed.rejection();
    }
    ParsedSetCookie p = parsed.cookie().get();
    if (p.name().isEmpty() && hasPrefix(p.value())) {
      return CookieRejection.NAMELESS_PREFIX;
    }
    URI url = context.url();
    Optional<String> requestHost = CookieDomains.host(url);
    if (requestHost.isEmpty()) {
      return CookieRejection.NO_HOST;
    }
    String host = requestHost.get();
    Instant now = clock.instant();

    Optional<Instant> expires;
    if (p.maxAge().isPresent()) {
      long seconds = p.maxAge().get();
      expires =
          Optional.of(
              seconds <= 0
                  ? Instant.EPOCH
                  : now.plusSeconds(Math.min(seconds, MAX_AGE.toSeconds())));
    } else {
      expires = p.expires().map(e -> e.isAfter(now.plus(MAX_AGE)) ? now.plus(MAX_AGE) : e);
    }

    String domain = host;
    boolean hostOnly = true;
    if (p.domain().isPresent()) {
      Optional<String> attribute = CookieDomains.canonical(p.domain().get());
      if (attribute.isEmpty()) {
        return CookieRejection.BAD_DOMAIN;
      }
      String d = attribute.get();
      if (CookieDomains.isPublicSuffix(d) && !d.equals(host)) {
        return CookieRejection.PUBLIC_SUFFIX;
      }
      if (!CookieDomains.domainMatches(host, d)) {
        return CookieRejection.FOREIGN_DOMAIN;
      }
      // Domain equal to a public-suffix host, or to an IP address, leaves a host-only cookie
      // (5.7; Chrome treats an IP address the same way).
      if (!CookieDomains.isPublicSuffix(d) && !CookieDomains.isIpAddress(host)) {
        domain = d;
        hostOnly = false;
      }
    }
    String path = p.path().orElseGet(() -> CookiePaths.defaultPath(url));
    boolean secureScheme = isSecure(url);
    if (p.secure() && !secureScheme) {
      return CookieRejection.SECURE_FROM_INSECURE;
    }
    if (p.sameSite() != SameSite.NONE && isCrossSite(context) && !context.topLevelNavigation()) {
      return CookieRejection.CROSS_SITE;
    }
    if (p.sameSite() == SameSite.NONE && !p.secure()) {
      return CookieRejection.NONE_WITHOUT_SECURE;
    }
    Cookie cookie =
        new Cookie(
            p.name(),
            p.value(),
            domain,
            hostOnly,
            path,
            expires,
            p.secure(),
            p.httpOnly(),
            p.sameSite(),
            now,
            now);
    CookieRejection prefix = prefixRule(cookie, p.pathAttribute());
    if (prefix != CookieRejection.NONE) {
      return prefix;
    }
    lock.lock();
    try {
      if (!p.secure() && !secureScheme && shadowsSecure(cookie)) {
        return CookieRejection.SHADOWS_SECURE;
      }
      return put(cookie, true, now);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean add(Cookie cookie) {
    return addCookie(cookie) == CookieRejection.NONE;
  }

  /** {@link #add}, saying why not. */
  public CookieRejection addCookie(Cookie cookie) {
    Objects.requireNonNull(cookie, "cookie");
    if (SetCookieParser.hasControlCharacter(cookie.name())
        || SetCookieParser.hasControlCharacter(cookie.value())) {
      return CookieRejection.CONTROL_CHARACTER;
    }
    if (SetCookieParser.octets(cookie.name()) + SetCookieParser.octets(cookie.value())
        > SetCookieParser.MAX_NAME_VALUE_OCTETS) {
      return CookieRejection.TOO_LARGE;
    }
    if (cookie.name().isEmpty() && cookie.value().isEmpty()) {
      return CookieRejection.EMPTY;
    }
    if (cookie.name().isEmpty() && hasPrefix(cookie.value())) {
      return CookieRejection.NAMELESS_PREFIX;
    }
    Optional<String> canonical = CookieDomains.canonical(cookie.domain());
    if (canonical.isEmpty() || !canonical.get().equals(cookie.domain())) {
      return CookieRejection.BAD_DOMAIN;
    }
    if (!cookie.hostOnly() && CookieDomains.isPublicSuffix(cookie.domain())) {
      return CookieRejection.PUBLIC_SUFFIX;
    }
    if (cookie.sameSite() == SameSite.NONE && !cookie.secure()) {
      return CookieRejection.NONE_WITHOUT_SECURE;
    }
    CookieRejection prefix = prefixRule(cookie, true);
    if (prefix != CookieRejection.NONE) {
      return prefix;
    }
    Instant now = clock.instant();
    lock.lock();
    try {
      return put(cookie, false, now);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Optional<String> cookieHeader(CookieContext context) {
    Objects.requireNonNull(context, "context");
    URI url = context.url();
    Optional<String> requestHost = CookieDomains.host(url);
    if (requestHost.isEmpty()) {
      return Optional.empty();
    }
    String host = requestHost.get();
    String path = CookiePaths.requestPath(url);
    boolean secureScheme = isSecure(url);
    boolean crossSite = isCrossSite(context);
    boolean safeMethod = isSafe(context.method());
    Instant now = clock.instant();
    List<Entry> chosen = new ArrayList<>();
    lock.lock();
    try {
      for (String bucket : candidateBuckets(host)) {
        Map<Key, Entry> cookies = byDomain.get(bucket);
        if (cookies == null) {
          continue;
        }
        for (Iterator<Entry> it = cookies.values().iterator(); it.hasNext(); ) {
          Entry e = it.next();
          Cookie c = e.cookie;
          if (c.isExpired(now)) {
            it.remove();
            count--;
            continue;
          }
          boolean hostMatches =
              c.hostOnly()
                  ? host.equals(c.domain())
                  : CookieDomains.domainMatches(host, c.domain());
          if (!hostMatches
              || !CookiePaths.matches(path, c.path())
              || (c.secure() && !secureScheme)
              || (crossSite && !sentCrossSite(c, context.topLevelNavigation(), safeMethod, now))) {
            continue;
          }
          chosen.add(e);
        }
        if (cookies.isEmpty()) {
          byDomain.remove(bucket);
        }
      }
      if (chosen.isEmpty()) {
        return Optional.empty();
      }
      chosen.sort(HEADER_ORDER);
      StringBuilder header = new StringBuilder();
      for (Entry e : chosen) {
        e.cookie = e.cookie.accessedAt(now);
        if (header.length() > 0) {
          header.append("; ");
        }
        if (!e.cookie.name().isEmpty()) {
          header.append(e.cookie.name()).append('=');
        }
        header.append(e.cookie.value());
      }
      return Optional.of(header.toString());
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<Cookie> cookies() {
    Instant now = clock.instant();
    List<Entry> all = new ArrayList<>();
    lock.lock();
    try {
      for (Map<Key, Entry> cookies : byDomain.values()) {
        for (Entry e : cookies.values()) {
          if (!e.cookie.isExpired(now)) {
            all.add(e);
          }
        }
      }
    } finally {
      lock.unlock();
    }
    all.sort(CREATION_ORDER);
    return all.stream().map(e -> e.cookie).toList();
  }

  @Override
  public void clear() {
    lock.lock();
    try {
      byDomain.clear();
      count = 0;
    } finally {
      lock.unlock();
    }
  }

  /** How many cookies the jar holds, expired ones not yet evicted included. */
  public int size() {
    lock.lock();
    try {
      return count;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "BrowserCookieJar[" + size() + " cookies]";
  }

  /**
   * Replaces the cookie with the same key, or inserts it, then evicts past the limits. Under the
   * lock. A replacement from a response keeps the first cookie's creation time (5.7).
   */
  private CookieRejection put(Cookie cookie, boolean keepCreation, Instant now) {
    String bucket = CookieDomains.registrableDomain(cookie.domain());
    Map<Key, Entry> cookies = byDomain.computeIfAbsent(bucket, b -> new HashMap<>());
    Key key = Key.of(cookie);
    Entry old = cookies.remove(key);
    if (old != null) {
      count--;
    }
    if (cookie.isExpired(now)) {
      if (cookies.isEmpty()) {
        byDomain.remove(bucket);
      }
      return CookieRejection.EXPIRED;
    }
    Entry entry;
    if (old != null && keepCreation) {
      entry =
          new Entry(
              new Cookie(
                  cookie.name(),
                  cookie.value(),
                  cookie.domain(),
                  cookie.hostOnly(),
                  cookie.path(),
                  cookie.expires(),
                  cookie.secure(),
                  cookie.httpOnly(),
                  cookie.sameSite(),
                  old.cookie.created(),
                  cookie.lastAccessed()),
              old.sequence);
    } else {
      entry = new Entry(cookie, sequence++);
    }
    cookies.put(key, entry);
    count++;
    if (cookies.size() > MAX_PER_DOMAIN) {
      evict(List.of(cookies), MAX_PER_DOMAIN - PURGE_PER_DOMAIN, now);
    }
    if (count > MAX_COOKIES) {
      evict(new ArrayList<>(byDomain.values()), MAX_COOKIES - PURGE_COOKIES, now);
    }
    return CookieRejection.NONE;
  }

  /** Evicts from {@code maps} until they hold {@code target}: expired first, then LRU. */
  private void evict(List<Map<Key, Entry>> maps, int target, Instant now) {
    int held = 0;
    for (Map<Key, Entry> m : maps) {
      for (Iterator<Entry> it = m.values().iterator(); it.hasNext(); ) {
        if (it.next().cookie.isExpired(now)) {
          it.remove();
          count--;
        }
      }
      held += m.size();
    }
    if (held > target) {
      List<Map.Entry<Key, Entry>> all = new ArrayList<>(held);
      Map<Key, Map<Key, Entry>> owner = new HashMap<>();
      for (Map<Key, Entry> m : maps) {
        for (Map.Entry<Key, Entry> e : m.entrySet()) {
          all.add(e);
          owner.put(e.getKey(), m);
        }
      }
      all.sort(Map.Entry.comparingByValue(EVICTION_ORDER));
      for (int i = 0; i < held - target; i++) {
        Key key = all.get(i).getKey();
        owner.get(key).remove(key);
        count--;
      }
    }
    byDomain.values().removeIf(Map::isEmpty);
  }

  /** 5.7: a cookie from an insecure URL may not shadow a Secure one of the same name. */
  private boolean shadowsSecure(Cookie cookie) {
    for (Map<Key, Entry> cookies : byDomain.values()) {
      for (Entry e : cookies.values()) {
        Cookie old = e.cookie;
        if (old.secure()
            && old.name().equals(cookie.name())
            && (CookieDomains.domainMatches(old.domain(), cookie.domain())
                || CookieDomains.domainMatches(cookie.domain(), old.domain()))
            && CookiePaths.matches(cookie.path(), old.path())) {
          return true;
        }
      }
    }
    return false;
  }

  /** 5.8.3's SameSite rule for a cross-site request. */
  private static boolean sentCrossSite(
      Cookie c, boolean topLevelNavigation, boolean safeMethod, Instant now) {
    return switch (c.sameSite()) {
      case NONE -> true;
      case STRICT -> false;
      case LAX -> topLevelNavigation && safeMethod;
      case UNSPECIFIED ->
          topLevelNavigation
              && (safeMethod
                  || Duration.between(c.created(), now).compareTo(LAX_ALLOWING_UNSAFE_AGE) < 0);
    };
  }

  /** The prefix rules (5.7), case-insensitive as in RFC 6265bis. */
  private static CookieRejection prefixRule(Cookie cookie, boolean pathAttribute) {
    String name = cookie.name().toLowerCase(Locale.ROOT);
    if (name.startsWith("__secure-") && !cookie.secure()) {
      return CookieRejection.SECURE_PREFIX;
    }
    if (name.startsWith("__host-")
        && (!cookie.secure()
            || !cookie.hostOnly()
            || !pathAttribute
            || !cookie.path().equals("/"))) {
      return CookieRejection.HOST_PREFIX;
    }
    return CookieRejection.NONE;
  }

  private static boolean hasPrefix(String value) {
    String v = value.toLowerCase(Locale.ROOT);
    return v.startsWith("__secure-") || v.startsWith("__host-");
  }

  /**
   * Every bucket that can hold a cookie for {@code host}: a matching cookie's domain is a suffix of
   * the host, and its bucket (that domain's registrable domain) a suffix of that.
   */
  private static Set<String> candidateBuckets(String host) {
    Set<String> buckets = new LinkedHashSet<>();
    buckets.add(host);
    if (!CookieDomains.isIpAddress(host)) {
      int dot = host.indexOf('.');
      while (dot >= 0) {
        buckets.add(host.substring(dot + 1));
        dot = host.indexOf('.', dot + 1);
      }
    }
    return buckets;
  }

  /** Whether the request is cross-site: its URL's site differs from the site for cookies. */
  static boolean isCrossSite(CookieContext context) {
    if (context.siteForCookies().isEmpty()) {
      return false;
    }
    Optional<String> site = CookieDomains.site(context.url());
    Optional<String> top = CookieDomains.site(context.siteForCookies().get());
    return site.isEmpty() || top.isEmpty() || !site.get().equals(top.get());
  }

  private static boolean isSecure(URI url) {
    String scheme = url.getScheme();
    return scheme != null && (scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("wss"));
  }

  /** Safe methods (RFC 9110, section 9.2.1), which Lax cookies may follow across sites. */
  private static boolean isSafe(String method) {
    return switch (method) {
      case "GET", "HEAD", "OPTIONS", "TRACE" -> true;
      default -> false;
    };
  }
}
