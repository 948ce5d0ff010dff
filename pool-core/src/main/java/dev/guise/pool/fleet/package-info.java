/**
 * What a fleet of crawler processes shares: bans, strikes, allow and deny entries and a per-host
 * request rate, kept in a {@link dev.guise.pool.fleet.FleetStore}.
 *
 * <p>A pool keeps this state in an in-memory store of its own unless its configuration names a
 * shared one ({@code PoolConfig.Builder#fleetStore}); a shared store (the Redis one, {@code
 * guise-redis}) is found by name with {@link dev.guise.pool.fleet.FleetStores#open(String)}. The
 * value types here ({@link dev.guise.pool.fleet.BanKey}, {@link dev.guise.pool.fleet.Ban}, {@link
 * dev.guise.pool.fleet.AccessEntry}, {@link dev.guise.pool.fleet.RateLimit}) are what a store
 * speaks in.
 */
package dev.guise.pool.fleet;
