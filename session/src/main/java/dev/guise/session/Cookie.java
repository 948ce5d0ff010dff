package dev.guise.session;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One stored cookie, as RFC 6265bis's storage model keeps it (section 5.7). Its {@link #value()} is
 * a secret: {@link #toString()} never shows it.
 *
 * @param name the cookie's name; may be empty (a "nameless" cookie, sent as its value alone)
 * @param value the cookie's value
 * @param domain the canonical (lower case, ASCII) host or domain it belongs to, without a leading
 *     dot
 * @param hostOnly whether it goes only to {@code domain} itself (no {@code Domain} attribute), not
 *     to its subdomains
 * @param path the path it goes to, and to the paths below it
 * @param expires when it expires; empty for a session cookie, which lives as long as its jar
 * @param secure whether it goes only over a secure scheme ({@code https})
 * @param httpOnly whether scripts may not read it (kept for the jar files; the jar only serves
 *     HTTP)
 * @param sameSite its {@code SameSite} rule
 * @param created when it was first stored (a replacement keeps the first cookie's time)
 * @param lastAccessed when it was last stored or sent
 */
public record Cookie(
    String name,
    String value,
    String domain,
    boolean hostOnly,
    String path,
    Optional<Instant> expires,
    boolean secure,
    boolean httpOnly,
    SameSite sameSite,
    Instant created,
    Instant lastAccessed) {

  public Cookie {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(expires, "expires");
    Objects.requireNonNull(sameSite, "sameSite");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(lastAccessed, "lastAccessed");
    if (domain.isEmpty()) {
      throw new IllegalArgumentException("a cookie needs a domain");
    }
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("a cookie's path starts with '/': " + path);
    }
  }

  /** Whether it has expired at {@code now}. */
  public boolean isExpired(Instant now) {
    return expires.isPresent() && !expires.get().isAfter(now);
  }

  /** Whether it lives only as long as its jar (no {@code Expires} or {@code Max-Age}). */
  public boolean isSessionCookie() {
    return expires.isEmpty();
  }

  /** The same cookie, last accessed at {@code when}. */
  public Cookie accessedAt(Instant when) {
    return new Cookie(
        name, value, domain, hostOnly, path, expires, secure, httpOnly, sameSite, created, when);
  }

  /** Everything but the value, which is a secret. */
  @Override
  public String toString() {
    return "Cookie[name="
        + name
        + ", domain="
        + domain
        + (hostOnly ? " (host only)" : "")
        + ", path="
        + path
        + ", expires="
        + expires.map(Instant::toString).orElse("session")
        + (secure ? ", secure" : "")
        + (httpOnly ? ", httpOnly" : "")
        + ", sameSite="
        + sameSite
        + ", value=(hidden)]";
  }
}
