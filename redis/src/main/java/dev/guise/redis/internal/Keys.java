package dev.guise.redis.internal;

import dev.guise.pool.fleet.BanKey;

/**
 * The names of a fleet's keys and channel, all under its prefix, so two fleets can share one Redis:
 * {@code prefix + "ban:" + key id}, {@code "strikes:" + key id}, {@code "access"} (a set of entry
 * ids), {@code "bucket:" + host} and the channel {@code prefix + "changes"}.
 */
final class Keys {
  private final String prefix;

  Keys(String prefix) {
    this.prefix = prefix;
  }

  String ban(BanKey key) {
    return prefix + "ban:" + key.id();
  }

  /** The pattern that matches every ban key, for SCAN. Glob characters in the prefix escaped. */
  String banPattern() {
    return prefix.replaceAll("([*?\\[\\]\\\\])", "\\\\$1") + "ban:*";
  }

  /** The ban key id in a ban key's name, or null when the name is not one. */
  String banId(String redisKey) {
    String p = prefix + "ban:";
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
