package dev.guise.redis;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on 127.0.0.1 between a store and redis-server that can hold what its clients send
 * (the bytes are read and kept back, not lost) while Redis's answers and notices still flow to
 * them: a client's commands reach Redis late, at a moment the test picks, so the test can order one
 * process's write after another's in Redis while the first already shows it locally.
 *
 * <p>It can also hold Redis's answers on one connection from a given command on ({@link
 * #holdRepliesFrom}): Redis runs the command at once, its answer reaches the client late, while the
 * client's other connections (its channel) go on; so a read can be ordered before another process's
 * write in Redis while its answer arrives after that write's notice. And it can cut its clients off
 * ({@link #refuse}) until {@link #admit}, for an outage of one process alone.
 */
final class HoldingRelay implements AutoCloseable {
  // Bounds a hold, so a test that forgets to release never hangs the build.
  private static final long MAX_HOLD_MILLIS = 30_000;

  /** One relayed connection: a client's socket and the one to Redis made for it. */
  private static final class Pair {
    final Socket client;
    final Socket redis;
    // Guarded by this: whether Redis's answers are held, and those held (in order).
    boolean holdingReplies;
    final ByteArrayOutputStream held = new ByteArrayOutputStream();

    Pair(Socket client, Socket redis) {
      this.client = client;
      this.redis = redis;
    }

    /** Sends what was held, in order, and lets what follows through. */
    synchronized void releaseReplies() {
      holdingReplies = false;
      if (held.size() > 0) {
        try {
          OutputStream out = client.getOutputStream();
          held.writeTo(out);
          out.flush();
        } catch (IOException e) {
          closeQuietly(client); // the client went away: nothing to answer
        }
        held.reset();
      }
    }

    synchronized String heldText() {
      return held.toString(StandardCharsets.UTF_8);
    }
  }

  private final ServerSocket server;
  private final int redisPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Thread acceptor;
  private final Object gate = new Object();
  // Guarded by gate.
  private boolean holding;
  // Guarded by gate: the command (as the client writes it) after which the next connection that
  // sends it has its answers held, and that connection once it has.
  private String replyTrigger;
  private Pair repliesHeld;
  private volatile boolean refusing;
  private volatile boolean closed;

  HoldingRelay(int redisPort) throws IOException {
    this.redisPort = redisPort;
    this.server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    this.acceptor = Thread.ofPlatform().daemon().name("relay-accept").start(this::accept);
  }

  String uri() {
    return "redis://127.0.0.1:" + server.getLocalPort();
  }

  /** From now on, what clients send waits here. */
  void hold() {
    synchronized (gate) {
      holding = true;
    }
  }

  /**
   * The next connection whose client sends {@code command} (a Redis command name, upper case) has
   * Redis's answers held from that command on, until {@link #release}: the command itself reaches
   * Redis at once.
   */
  void holdRepliesFrom(String command) {
    synchronized (gate) {
      replyTrigger = "$" + command.length() + "\r\n" + command + "\r\n";
    }
  }

  /**
   * Waits, at most {@code timeout}, until the answers held (see {@link #holdRepliesFrom}) contain
   * {@code text}: Redis ran the command and answered it. Returns whether they do.
   */
  boolean awaitHeldReply(String text, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (gate) {
      while (repliesHeld == null || !repliesHeld.heldText().contains(text)) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0 || closed) {
          return false;
        }
        gate.wait(left);
      }
      return true;
    }
  }

  /** Lets what was held (sent by clients, or answered by Redis), and what follows, through. */
  void release() {
    Pair p;
    synchronized (gate) {
      holding = false;
      replyTrigger = null;
      p = repliesHeld;
      repliesHeld = null;
      gate.notifyAll();
    }
    if (p != null) {
      p.releaseReplies();
    }
  }

  /** Closes every relayed connection and refuses new ones (closed at once) until {@link #admit}. */
  void refuse() {
    refusing = true;
    sockets.forEach(HoldingRelay::closeQuietly);
    sockets.clear();
  }

  /** Relays new connections again. */
  void admit() {
    refusing = false;
  }

  private void accept() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      if (refusing) {
        closeQuietly(client);
        continue;
      }
      Socket redis = new Socket();
      try {
        redis.connect(new InetSocketAddress("127.0.0.1", redisPort), 5_000);
      } catch (IOException e) {
        closeQuietly(client); // Redis is away: so is the relay's end
        continue;
      }
      sockets.add(client);
      sockets.add(redis);
      if (refusing) {
        // refuse() came between the check above and the adds, and may have missed them.
        closeQuietly(client);
        closeQuietly(redis);
        continue;
      }
      Pair pair = new Pair(client, redis);
      Thread.ofPlatform().daemon().start(() -> send(pair));
      Thread.ofPlatform().daemon().start(() -> answer(pair));
    }
  }

  /** The client's commands to Redis: held while {@link #hold} is on. */
  private void send(Pair pair) {
    byte[] buffer = new byte[16 * 1024];
    // The end of what came before, so a command split between two reads is still seen.
    String tail = "";
    try (InputStream in = pair.client.getInputStream();
        OutputStream out = pair.redis.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        awaitOpen();
        String seen = tail + new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
        synchronized (gate) {
          if (replyTrigger != null && seen.contains(replyTrigger)) {
            // Before Redis has the command: its answer is the first one held.
            synchronized (pair) {
              pair.holdingReplies = true;
            }
            repliesHeld = pair;
            replyTrigger = null;
          }
        }
        tail = seen.substring(Math.max(0, seen.length() - 64));
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // A side closed: the other follows.
    } finally {
      closeQuietly(pair.client);
      closeQuietly(pair.redis);
    }
  }

  /** Redis's answers and notices to the client: kept back while the pair's replies are held. */
  private void answer(Pair pair) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = pair.redis.getInputStream();
        OutputStream out = pair.client.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        boolean kept;
        synchronized (pair) {
          kept = pair.holdingReplies;
          if (kept) {
            pair.held.write(buffer, 0, n);
          } else {
            out.write(buffer, 0, n);
            out.flush();
          }
        }
        if (kept) {
          synchronized (gate) {
            gate.notifyAll(); // for awaitHeldReply
          }
        }
      }
    } catch (IOException e) {
      // A side closed: the other follows.
    } finally {
      closeQuietly(pair.client);
      closeQuietly(pair.redis);
    }
  }

  private void awaitOpen() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMillis(MAX_HOLD_MILLIS).toNanos();
    synchronized (gate) {
      while (holding && !closed) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          throw new IllegalStateException("held for longer than " + MAX_HOLD_MILLIS + " ms");
        }
        gate.wait(left);
      }
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    closed = true;
    release();
    server.close();
    sockets.forEach(HoldingRelay::closeQuietly);
    acceptor.join(5_000);
  }
}
