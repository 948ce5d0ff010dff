package dev.guise.session.internal;

/**
 * Why the jar dropped a {@code Set-Cookie} field or a cookie given to it (each names the step of
 * RFC 6265bis's parsing or storage model, sections 5.6 and 5.7, that refuses it). {@link #NONE}: it
 * was stored.
 */
public enum CookieRejection {
  NONE,
  /** A control character other than a tab (5.6). */
  CONTROL_CHARACTER,
  /** Name and value together longer than 4096 octets (5.6). */
  TOO_LARGE,
  /** No name and no value (5.7). */
  EMPTY,
  /** A nameless cookie whose value looks like a prefixed name (5.7). */
  NAMELESS_PREFIX,
  /** The request's URL has no host. */
  NO_HOST,
  /** The Domain attribute cannot be made an ASCII host name (5.7). */
  BAD_DOMAIN,
  /** Domain is a public suffix other than the request's host (5.7). */
  PUBLIC_SUFFIX,
  /** The request's host does not domain-match the Domain attribute (5.7). */
  FOREIGN_DOMAIN,
  /** Secure set over an insecure scheme (5.7). */
  SECURE_FROM_INSECURE,
  /** A cookie over an insecure scheme would shadow a Secure one (5.7). */
  SHADOWS_SECURE,
  /** SameSite Strict or Lax set by a cross-site request that is no top-level navigation. */
  CROSS_SITE,
  /** SameSite=None without Secure (5.7). */
  NONE_WITHOUT_SECURE,
  /** {@code __Secure-} without Secure (5.7). */
  SECURE_PREFIX,
  /** {@code __Host-} without Secure, with Domain, or without Path=/ (5.7). */
  HOST_PREFIX,
  /** Already expired: stored only to remove the cookie it replaces (5.7, last step). */
  EXPIRED
}
