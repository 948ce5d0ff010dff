package dev.guise.redis;

import dev.guise.api.spi.ProviderOptions;
import dev.guise.pool.fleet.FleetStore;
import dev.guise.pool.fleet.FleetStoreProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The {@code redis} fleet store by name: {@code
 * redis:url=rediss://127.0.0.1:6380,password=...,trust=/etc/redis/ca.pem,prefix=fleet1:}.
 *
 * <ul>
 *   <li>{@code url} (required): {@code redis://[user:password@]host:port} or {@code rediss://} for
 *       TLS;
 *   <li>{@code password}: when not in the URL;
 *   <li>{@code trust}: a PEM certificate to trust for TLS (else the JDK's trust store);
 *   <li>{@code prefix}: the key prefix, default {@value RedisSettings#DEFAULT_PREFIX};
 *   <li>{@code timeout}: how long a command may take before Redis counts as slow, default 500ms;
 *   <li>{@code heartbeat}: how often its health is checked, default 250ms.
 * </ul>
 *
 * A bad URL is reported with its password masked.
 */
public final class RedisFleetStoreProvider implements FleetStoreProvider {
  /** The name in a spec. */
  public static final String NAME = "redis";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public FleetStore open(Map<String, String> options) {
    ProviderOptions o =
        ProviderOptions.read(
            NAME, options, "url", "password", "trust", "prefix", "timeout", "heartbeat");
    String url =
        o.getString("url")
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "fleet store 'redis' needs url=redis://host:port (or rediss:// for TLS)"));
    RedisSettings.Builder b = RedisSettings.builder(url);
    o.getString("password").ifPresent(p -> b.password(p.toCharArray()));
    o.getString("trust").ifPresent(t -> b.trustedCertificate(Path.of(t)));
    o.getString("prefix").ifPresent(b::keyPrefix);
    b.commandTimeout(
        o.getDuration(
            "timeout", Duration.ofMillis(500), Duration.ofMillis(10), Duration.ofSeconds(60)));
    b.heartbeat(
        o.getDuration(
            "heartbeat", Duration.ofMillis(250), Duration.ofMillis(10), Duration.ofSeconds(60)));
    return RedisFleetStore.open(b.build());
  }
}
