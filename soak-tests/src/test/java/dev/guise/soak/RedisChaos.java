package dev.guise.soak;

import dev.guise.testing.RedisServer;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Redis's faults in the soak, one {@link ServerChaos.ChaosStep}: every 3-6 s it kills redis-server
 * ({@code SIGKILL}, a crash: it comes back empty after 0.3-1.5 s), freezes it ({@code SIGSTOP} for
 * 0.5-3 s, then {@code SIGCONT}: every command in flight waits on a socket that answers nothing),
 * or writes garbage where the store reads (a ban key of the soak's host, a bucket of the wrong
 * type, a notice on the changes channel: another program's writes). Garbage is also written on one
 * tick in eight while Redis is up.
 */
final class RedisChaos implements ServerChaos.ChaosStep {
  private final RedisServer redis;
  private final String prefix;
  private final String host;
  private final int port;
  private final List<InetAddress> ips;
  private long nextEventNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
  private long downUntilNanos;
  private long frozenUntilNanos;
  long kills;
  long freezes;
  long garbageWrites;

  RedisChaos(RedisServer redis, String prefix, String host, int port, List<InetAddress> ips) {
    this.redis = redis;
    this.prefix = prefix;
    this.host = host;
    this.port = port;
    this.ips = ips;
  }

  @Override
  public void step(Random random, double elapsed) throws Exception {
    long now = System.nanoTime();
    if (downUntilNanos != 0) {
      if (now >= downUntilNanos) {
        redis.restart();
        downUntilNanos = 0;
      }
      return;
    }
    if (frozenUntilNanos != 0) {
      if (now >= frozenUntilNanos) {
        redis.resume();
        frozenUntilNanos = 0;
      }
      return;
    }
    if (now >= nextEventNanos) {
      nextEventNanos = now + TimeUnit.MILLISECONDS.toNanos(3_000 + random.nextInt(3_000));
      switch (random.nextInt(3)) {
        case 0 -> {
          redis.kill();
          kills++;
          downUntilNanos = now + TimeUnit.MILLISECONDS.toNanos(300 + random.nextInt(1_200));
        }
        case 1 -> {
          redis.suspend();
          freezes++;
          frozenUntilNanos = now + TimeUnit.MILLISECONDS.toNanos(500 + random.nextInt(2_500));
        }
        default -> garbage(random);
      }
    } else if (random.nextInt(8) == 0) {
      garbage(random);
    }
  }

  /** One write of another program's: where the store reads, in a form it never writes. */
  private void garbage(Random random) throws IOException {
    String ip = ips.get(random.nextInt(ips.size())).getHostAddress();
    String banKey = prefix + "ban:" + host + ":" + port + "|ip|" + ip;
    switch (random.nextInt(4)) {
      case 0 -> redis.command("SET", banKey, "g1|not-a-time|" + random.nextLong() + "|?|x");
      case 1 -> {
        redis.command("DEL", banKey);
        redis.command("HSET", banKey, "tokens", "many");
      }
      case 2 -> redis.command("SET", prefix + "bucket:" + host, "\u0000\u00ff garbage");
      default ->
          redis.command("PUBLISH", prefix + "changes", "no\nsuch\nnotice" + random.nextInt());
    }
    garbageWrites++;
  }

  @Override
  public void close() throws Exception {
    if (frozenUntilNanos != 0) {
      redis.resume();
      frozenUntilNanos = 0;
    }
    if (downUntilNanos != 0 || !redis.alive()) {
      redis.restart();
      downUntilNanos = 0;
    }
  }
}
