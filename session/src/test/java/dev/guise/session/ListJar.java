package dev.guise.session;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A trivial jar for the session's tests (the real one applies RFC 6265bis): it keeps each cookie's
 * name and value by host, in creation order, and sends a host's cookies to that host when {@code
 * allow} says so. It records every context it was asked about.
 */
final class ListJar implements CookieJar {
  private final Map<String, Map<String, String>> byHost = new LinkedHashMap<>();
  private final Predicate<CookieContext> allow;
  final List<CookieContext> asked = new ArrayList<>();

  ListJar() {
    this(c -> true);
  }

  ListJar(Predicate<CookieContext> allow) {
    this.allow = allow;
  }

  @Override
  public synchronized void store(CookieContext context, List<String> setCookieFields) {
    for (String field : setCookieFields) {
      String pair = field.split(";", 2)[0].trim();
      int eq = pair.indexOf('=');
      byHost
          .computeIfAbsent(context.url().getHost(), h -> new LinkedHashMap<>())
          .put(pair.substring(0, eq), pair.substring(eq + 1));
    }
  }

  @Override
  public synchronized List<Cookie> cookies() {
    throw new UnsupportedOperationException("the redirect tests never list a jar's cookies");
  }

  @Override
  public synchronized boolean add(Cookie cookie) {
    throw new UnsupportedOperationException("the redirect tests never add cookies by hand");
  }

  @Override
  public synchronized void clear() {
    byHost.clear();
  }

  @Override
  public synchronized Optional<String> cookieHeader(CookieContext context) {
    asked.add(context);
    Map<String, String> cookies = byHost.get(context.url().getHost());
    if (cookies == null || cookies.isEmpty() || !allow.test(context)) {
      return Optional.empty();
    }
    List<String> pairs = new ArrayList<>();
    cookies.forEach((k, v) -> pairs.add(k + "=" + v));
    return Optional.of(String.join("; ", pairs));
  }
}
