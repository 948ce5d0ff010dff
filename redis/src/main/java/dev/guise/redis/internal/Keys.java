package dev.guise.redis.internal;

import dev.guise.pool.fleet.BanKey;

/**
 * The names of a fleet's keys and channel, all under its prefix, so two fleets can share one Redis:
 * {@code prefix + "ban:" + key id}, {@code "bans"} (the index of ban keys, a sorted set), {@code
 * "strikes:" + key id}, {@code "access"} (a set of entry ids), {@code "bucket:" + host} and the
 * channel {@code prefix + "changes"}.
 */
final class Keys {
  private final String prefix;

  Keys(String prefix) {
    this.prefix = prefix;
  }

  String ban(BanKey key) {
    return prefix + "ban:" + key.id();
  }

  /** What every ban key's name starts with. */
  String banPrefix() {
    return prefix + "ban:";
  }

  /**
   * The fleet's index of its bans: a sorted set of ban key names scored with the end of each ban
   * (Redis's clock, ms), so a lift-all or a pull never walks the keyspace.
   */
  String banIndex() {
    return prefix + "bans";
  }

  /** The ban key id in a ban key's name, or null when the name is not one. */
  String banId(String redisKey) {
    String p = banPrefix();
    return redisKey.startsWith(p) ? redisKey.substring(p.length()) : null;
  }

  String strikes(BanKey key) {
    return prefix + "strikes:" + key.id();
  }

  String access() {
    return prefix + "access";
  }

  String bucket(String host) {
    return prefix + "bucket:" + host;
  }

  String channel() {
    return prefix + "changes";
  }
}
