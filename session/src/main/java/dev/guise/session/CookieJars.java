package dev.guise.session;

import dev.guise.session.internal.BrowserCookieJar;
import java.time.Clock;

/** Cookie jars. */
public final class CookieJars {

  private CookieJars() {}

  /**
   * A jar that stores and sends cookies as Chrome does (RFC 6265bis with Chrome's limits: 180
   * cookies per registrable domain, 3300 in all, 4096 bytes of name and value, 400 days at most).
   *
   * @param clock the clock that decides expiry and the cookies' creation and access times
   */
  public static CookieJar browser(Clock clock) {
    return new BrowserCookieJar(clock);
  }

  /** {@link #browser(Clock)} on the system clock. */
  public static CookieJar browser() {
    return browser(Clock.systemUTC());
  }
}
