/**
 * The state a fleet of crawler processes shares, kept in Redis: {@link
 * dev.guise.redis.RedisFleetStore}, a {@code dev.guise.pool.fleet.FleetStore} found by the name
 * {@code redis}.
 */
module dev.guise.redis {
  requires transitive dev.guise.pool;
  requires org.slf4j;
  // Lettuce is an automatic module (lettuce.core), as are Netty and Reactor which it brings.
  requires lettuce.core;

  exports dev.guise.redis;

  provides dev.guise.pool.fleet.FleetStoreProvider with
      dev.guise.redis.RedisFleetStoreProvider;
}
