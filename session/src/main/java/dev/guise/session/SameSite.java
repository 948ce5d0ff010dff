package dev.guise.session;

/**
 * A cookie's {@code SameSite} attribute (RFC 6265bis, section 5.6): whether it goes with requests
 * that a document of another site made.
 */
public enum SameSite {
  /** Only with same-site requests. */
  STRICT,
  /** With same-site requests and with cross-site top-level navigations by a safe method (GET). */
  LAX,
  /** With every request; a browser stores such a cookie only when it is also {@code Secure}. */
  NONE,
  /**
   * No (or an unknown) {@code SameSite} attribute: enforced as {@link #LAX}, as Chrome does ("Lax
   * by default"), except that a cookie younger than two minutes also goes with a cross-site
   * top-level navigation by an unsafe method (a POST), the "Lax-allowing-unsafe" rule of RFC
   * 6265bis, section 5.8.3, which Chrome applies to cookies without the attribute.
   */
  UNSPECIFIED
}
