package dev.guise.session;

import java.util.List;
import java.util.Optional;

/**
 * The cookies of one session, applied as a browser applies them. Implementations are thread-safe: a
 * session's requests may run at once.
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
}
