package dev.guise.redis.internal;

import dev.guise.redis.RedisSettings;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection to a fleet's Redis: one multiplexed command connection and one pub/sub connection
 * (Lettuce), and a heartbeat thread that tells whether Redis is there. Commands never queue while
 * Redis is down or slow: they fail at once or after the command timeout, so nothing upstream waits
 * on Redis. The heartbeat reports a change of state to the {@link Listener} once per change (down,
 * then up), and while down it tries to connect again.
 */
public final class RedisLink implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);

  /** What the link tells its owner. Called from the heartbeat or a Lettuce thread: never block. */
  public interface Listener {
    /** Redis became unreachable or slow; {@code why} names the failure kind, no secret. */
    void down(String why);

    /** Redis is reachable again (or for the first time): time to reconcile. */
    void up();

    /** A message on the subscribed channel. */
    void message(String message);
  }

  private final RedisSettings settings;
  private final String channel;
  private final Listener listener;
  private final ClientResources resources;
  private final RedisClient client;
  private final Thread heartbeat;
  private volatile StatefulRedisConnection<String, String> connection;
  private volatile StatefulRedisPubSubConnection<String, String> pubSub;
  private volatile boolean up;
  private volatile boolean closed;
  // Heartbeat thread only. An outage is told once: at the first failed beat after an up (or the
  // first failed connection); the next up clears it.
  private boolean reported;

  public RedisLink(RedisSettings settings, String channel, Listener listener) {
    this.settings = settings;
    this.channel = channel;
    this.listener = listener;
    // Two I/O and two computation threads, Lettuce's least: a fleet store needs no more, and each
    // crawler process on a small machine keeps its cores for crawling.
    this.resources =
        DefaultClientResources.builder()
            .ioThreadPoolSize(2)
            .computationThreadPoolSize(2)
            // Lettuce backs off up to 30 s by default; a fleet wants its Redis back soon.
            .reconnectDelay(Delay.constant(settings.heartbeat()))
            .build();
    this.client = RedisClient.create(resources, redisUri(settings));
    ClientOptions.Builder options =
        ClientOptions.builder()
            .autoReconnect(true)
            // Fail at once while disconnected: a queued command would wait for Redis.
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
            .socketOptions(
                SocketOptions.builder()
                    .connectTimeout(settings.commandTimeout().multipliedBy(2))
                    .build());
    if (settings.trustedCertificate() != null) {
      options.sslOptions(
          SslOptions.builder()
              .jdkSslProvider()
              .trustManager(settings.trustedCertificate().toFile())
              .build());
    }
    client.setOptions(options.build());
    this.heartbeat = new Thread(this::beat, "guise-redis-heartbeat");
    heartbeat.setDaemon(true);
  }

  private static RedisURI redisUri(RedisSettings settings) {
    RedisURI uri;
    try {
      uri = RedisURI.create(settings.uri());
    } catch (RuntimeException e) {
      // Lettuce's message may quote the URL, password and all.
      throw new IllegalArgumentException("not a Redis URL: " + settings.maskedUri());
    }
    char[] password = settings.password();
    if (password != null) {
      // The URL's user, if any, with the password given apart.
      uri = RedisURI.builder(uri).withPassword(password).build();
    }
    uri.setTimeout(settings.commandTimeout());
    uri.setClientName("guise");
    return uri;
  }

  /** Starts the heartbeat, which makes the first connection. */
  public void start() {
    heartbeat.start();
  }

  /** How long one command may take. */
  public long commandTimeoutMillis() {
    return settings.commandTimeout().toMillis();
  }

  /** Whether Redis answered the last heartbeat in time. */
  public boolean up() {
    return up;
  }

  /**
   * Runs a command: fails at once when Redis is down, and within the command timeout when it is
   * slow. Never blocks the caller.
   */
  public <T> CompletableFuture<T> run(
      Function<RedisAsyncCommands<String, String>, CompletionStage<T>> command) {
    StatefulRedisConnection<String, String> c = connection;
    if (c == null || !up || closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("redis is unavailable"));
    }
    try {
      return command
          .apply(c.async())
          .toCompletableFuture()
          .orTimeout(settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private void beat() {
    long every = settings.heartbeat().toMillis();
    while (!closed) {
      boolean ok = connection != null ? ping() : connect();
      if (ok && !up) {
        up = true;
        reported = false;
        LOG.info("redis at {} is reachable", settings.maskedUri());
        listener.up();
      } else if (!ok && up) {
        up = false;
      }
      try {
        Thread.sleep(every);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private boolean ping() {
    try {
      connection
          .async()
          .ping()
          .toCompletableFuture()
          .get(settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      reportDown(kind(e));
      return false;
    }
  }

  private boolean connect() {
    StatefulRedisConnection<String, String> c = null;
    try {
      c = client.connect();
      StatefulRedisPubSubConnection<String, String> p = client.connectPubSub();
      p.addListener(
          new RedisPubSubAdapter<>() {
            @Override
            public void message(String from, String message) {
              if (channel.equals(from)) {
                listener.message(message);
              }
            }
          });
      p.sync().subscribe(channel);
      connection = c;
      pubSub = p;
      return true;
    } catch (RuntimeException e) {
      if (c != null) {
        c.closeAsync();
      }
      reportDown(kind(e));
      return false;
    }
  }

  private void reportDown(String why) {
    if (!reported) {
      reported = true;
      LOG.warn(
          "redis at {} is unavailable ({}); crawling goes on with local state",
          settings.maskedUri(),
          why);
      listener.down(why);
    }
  }

  /** A failure's kind without its message: Lettuce's messages may quote addresses or URLs. */
  private static String kind(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t != t.getCause()) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName();
  }

  @Override
  public void close() {
    closed = true;
    heartbeat.interrupt();
    try {
      heartbeat.join(settings.commandTimeout().toMillis() * 2 + 1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (pubSub != null) {
      pubSub.closeAsync();
    }
    if (connection != null) {
      connection.closeAsync();
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
