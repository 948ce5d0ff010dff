package dev.guise.redis.internal;

/**
 * A change notice on the fleet's channel: {@code origin\nkind\nsubject\ndetail}. The origin is the
 * sending process's id: a process applied its own change already, and reads its own notices of bans
 * and lifts only as marks of where Redis ran them among the others'. A message that does not parse
 * (another program publishing on the channel) is null, not an error.
 *
 * @param origin the sending process
 * @param kind {@link #BAN}, {@link #LIFT}, {@link #LIFT_ALL}, {@link #ALLOW_DENY_ADD} or {@link
 *     #ALLOW_DENY_REMOVE}
 * @param subject a ban key's or an access entry's id; empty for {@link #LIFT_ALL}
 * @param detail a ban's record; empty otherwise
 */
record FleetMessage(String origin, String kind, String subject, String detail) {
  static final String BAN = "ban";
  static final String LIFT = "lift";
  static final String LIFT_ALL = "lift-all";
  static final String ALLOW_DENY_ADD = "access+";
  static final String ALLOW_DENY_REMOVE = "access-";
  private static final int MAX = 4096;

  String encode() {
    return origin + '\n' + kind + '\n' + subject + '\n' + detail;
  }

  static FleetMessage decode(String text) {
    if (text == null || text.length() > MAX) {
      return null;
    }
    String[] parts = text.split("\n", 4);
    if (parts.length != 4) {
      return null;
    }
    return switch (parts[1]) {
      case BAN, LIFT, LIFT_ALL, ALLOW_DENY_ADD, ALLOW_DENY_REMOVE ->
          new FleetMessage(parts[0], parts[1], parts[2], parts[3]);
      default -> null;
    };
  }
}
