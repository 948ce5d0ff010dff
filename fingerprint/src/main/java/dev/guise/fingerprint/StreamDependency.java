package dev.guise.fingerprint;

import java.util.Locale;

/**
 * Which stream a request's HTTP/2 HEADERS priority block depends on: the browser's rule, read from
 * its session capture ({@code stream_dependency} in {@code <profile>-requests.json}).
 */
public enum StreamDependency {
  /** Every stream depends on stream 0 (Firefox; and any profile without session rules). */
  ROOT,

  /**
   * The streams form one chain ordered by urgency (Chromium): a new stream depends, exclusively, on
   * the newest stream still open at the nearest urgency level at or above its own (its {@code
   * priority} header's {@code u}, lower is more urgent), or on stream 0 when none is open. A stream
   * is open until both sides sent END_STREAM or it was reset. The session capture shows it: {@code
   * /style.css} (u=0) depends on 0 with the navigation closed, {@code /app.js} (u=1) on the open
   * stylesheet, {@code /img.png} (u=2) on the open script rather than the older stylesheet, and the
   * later fetches on 0 once all three closed.
   */
  URGENCY_CHAIN;

  /** The name used in the profiles' rules. */
  String key() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static StreamDependency of(String key) {
    for (StreamDependency d : values()) {
      if (d.key().equals(key)) {
        return d;
      }
    }
    throw new IllegalArgumentException("unknown stream_dependency: " + key);
  }
}
