package dev.guise.pool.internal;

import dev.guise.pool.config.PoolConfig;

/**
 * The settings a {@link RoutePool} keeps its books by, read from the configuration once: in
 * milliseconds of the pool's clock, so the lease path neither allocates nor converts.
 *
 * @param perRoute the most connections (open and being opened) of one route
 * @param perHost the most connections of one host, over all its routes
 * @param maxLifetimeMillis a connection this old closes once its last lease is back
 * @param revalidateAfterIdleMillis an idle connection unused this long is validated before reuse
 * @param validates whether a validator is configured
 */
record RouteLimits(
    int perRoute,
    int perHost,
    long maxLifetimeMillis,
    long revalidateAfterIdleMillis,
    boolean validates) {

  static RouteLimits of(PoolConfig config) {
    return new RouteLimits(
        config.limits().maxConnectionsPerIp(),
        config.limits().maxConnectionsPerHost(),
        config.timeouts().maxLifetime().toMillis(),
        config.healthChecks().revalidateAfterIdle().toMillis(),
        config.validator().isPresent());
  }
}
