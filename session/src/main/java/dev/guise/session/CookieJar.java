package dev.guise.session;

import java.util.List;
import java.util.Optional;

/**
 * The cookies of one session, applied as a browser applies them. Implementations are thread-safe: a
 * session's requests may run at once. {@link CookieJars#browser} makes the jar that follows RFC
 * 6265bis as Chrome does; {@link CookieFiles} saves and loads a jar's cookies.
 */
public interface CookieJar {

  /**
   * Stores what the {@code Set-Cookie} fields of a response allow, dropping what the rules forbid.
   *
   * @param context the request the response answered
   * @param setCookieFields the values of the response's {@code Set-Cookie} fields, in order
   */
  void store(CookieContext context, List<String> setCookieFields);

  /**
   * The value of the {@code cookie} header for a request, formatted as browsers format it, or empty
   * when no cookie applies.
   */
  Optional<String> cookieHeader(CookieContext context);

  /** A snapshot of the cookies that have not expired, in the order they were created. */
  List<Cookie> cookies();

  /**
   * Adds a cookie as it is (a loaded jar file's, say), replacing the one with the same name,
   * domain, host-only flag and path, under the same rules as a {@code Set-Cookie} field that no
   * request's context limits: a cookie for a public suffix's subdomains, too large, breaking its
   * {@code __Secure-}/{@code __Host-} prefix, or {@code SameSite=None} without {@code Secure} is
   * dropped, and so is an expired one (which removes the one it would replace).
   *
   * @return whether the jar took it
   */
  boolean add(Cookie cookie);

  /** Removes every cookie. */
  void clear();
}
