package dev.guise.fingerprint;

import java.util.Locale;

/**
 * What a request is for, as the browser decides its headers ({@code sec-fetch-dest}, {@code
 * accept}, {@code priority}, order): the kinds the reference session captures show.
 *
 * <p>A profile has rules only for the kinds its captures show ({@link
 * BrowserProfile#supports(RequestKind)}); fonts and {@code XMLHttpRequest} come from {@code guise
 * capture} captures.
 */
public enum RequestKind {
  /** A top-level navigation: typed, followed link, script navigation or form. */
  DOCUMENT,
  /** A stylesheet ({@code <link rel=stylesheet>}). */
  STYLE,
  /** A classic script ({@code <script src>}). */
  SCRIPT,
  /** An image ({@code <img>}). */
  IMAGE,
  /** A {@code fetch()} call, GET or with a body. */
  FETCH,
  /** A web font ({@code @font-face} in a stylesheet). */
  FONT,
  /** An {@code XMLHttpRequest}. */
  XHR;

  /** The lower-case name used in the profiles' rules and on the command line. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The kind called {@code key} (ASCII case ignored).
   *
   * @throws IllegalArgumentException for an unknown name; the message lists the known ones
   */
  public static RequestKind of(String key) {
    for (RequestKind k : values()) {
      if (k.key().equalsIgnoreCase(key)) {
        return k;
      }
    }
    StringBuilder known = new StringBuilder();
    for (RequestKind k : values()) {
      known.append(known.length() == 0 ? "" : ", ").append(k.key());
    }
    throw new IllegalArgumentException("unknown request kind '" + key + "'; known: " + known);
  }
}
