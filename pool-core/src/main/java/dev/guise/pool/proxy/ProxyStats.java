package dev.guise.pool.proxy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One proxy's figures since the pool started.
 *
 * @param proxy the proxy (its password never printed)
 * @param tunnels tunnels opened through it
 * @param failures tunnels that failed to open, of any kind
 * @param meanConnectTime the mean time to open a connection through it (TCP, tunnel, TLS), of those
 *     that opened
 * @param restingUntil when it rests now, until when
 */
public record ProxyStats(
    Proxy proxy,
    long tunnels,
    long failures,
    Duration meanConnectTime,
    Optional<Instant> restingUntil) {}
