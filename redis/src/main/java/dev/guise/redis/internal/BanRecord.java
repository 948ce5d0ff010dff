package dev.guise.redis.internal;

/**
 * A ban as the fleet stores it under its key and sends it on the change channel: {@code
 * g1|until|bannedAt|origin|reason} (epoch milliseconds; the origin is the banning process's id).
 * {@code g1} marks a value as Guise's: anything else under a ban key was written by another program
 * and is read as no ban, never as an error.
 */
public record BanRecord(long untilMillis, long bannedAtMillis, String origin, String reason) {
  private static final String MARK = "g1|";
  private static final int MAX_REASON = 200;

  public BanRecord {
    origin = clean(origin, 64);
    reason = clean(reason == null ? "" : reason, MAX_REASON);
  }

  // '|' separates the fields and a line break separates a message's parts: neither may appear.
  private static String clean(String s, int max) {
    String c = s.replace('|', '/').replace('\n', ' ').replace('\r', ' ');
    return c.length() > max ? c.substring(0, max) : c;
  }

  /** The stored form. */
  public String encode() {
    return MARK + untilMillis + '|' + bannedAtMillis + '|' + origin + '|' + reason;
  }

  /** The record in {@code value}, or null when it is not one of ours (garbage, another format). */
  public static BanRecord decode(String value) {
    if (value == null || !value.startsWith(MARK) || value.length() > 1024) {
      return null;
    }
    String[] parts = value.substring(MARK.length()).split("\\|", 4);
    if (parts.length != 4) {
      return null;
    }
    try {
      long until = Long.parseLong(parts[0]);
      long at = Long.parseLong(parts[1]);
      if (until <= 0 || at <= 0) {
        return null;
      }
      return new BanRecord(until, at, parts[2], parts[3]);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
