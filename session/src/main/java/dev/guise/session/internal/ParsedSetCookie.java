package dev.guise.session.internal;

import dev.guise.session.SameSite;
import java.time.Instant;
import java.util.Optional;

/**
 * What one {@code Set-Cookie} field says, before the storage model judges it: the name and value,
 * and the last of each attribute (RFC 6265bis, section 5.7: "the last attribute ... with an
 * attribute-name of ..."). Empty optionals are attributes the field lacked or that were ignored.
 *
 * @param maxAge seconds from {@code Max-Age}; zero or less means "already expired"
 * @param expires the date of {@code Expires}
 * @param domain the {@code Domain} attribute, lower case, without its leading dot
 * @param path the {@code Path} attribute, when it starts with '/'
 * @param pathAttribute whether a {@code Path} attribute was given at all (a {@code __Host-} cookie
 *     needs one)
 */
record ParsedSetCookie(
    String name,
    String value,
    Optional<Long> maxAge,
    Optional<Instant> expires,
    Optional<String> domain,
    Optional<String> path,
    boolean pathAttribute,
    boolean secure,
    boolean httpOnly,
    SameSite sameSite) {

  @Override
  public String toString() {
    // The value is a secret (see Cookie).
    return "ParsedSetCookie[name=" + name + ", value=(hidden)]";
  }
}
