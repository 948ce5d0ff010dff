package dev.guise.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on 127.0.0.1 between a store and redis-server that can hold what its clients send
 * (the bytes are read and kept back, not lost) while Redis's answers and notices still flow to
 * them: a client's commands reach Redis late, at a moment the test picks, so the test can order one
 * process's write after another's in Redis while the first already shows it locally.
 */
final class HoldingRelay implements AutoCloseable {
  // Bounds a hold, so a test that forgets to release never hangs the build.
  private static final long MAX_HOLD_MILLIS = 30_000;

  private final ServerSocket server;
  private final int redisPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Thread acceptor;
  private final Object gate = new Object();
  // Guarded by gate.
  private boolean holding;
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

  /** Lets what was held, and what follows, through. */
  void release() {
    synchronized (gate) {
      holding = false;
      gate.notifyAll();
    }
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = server.accept();
        Socket redis = new Socket();
        redis.connect(new InetSocketAddress("127.0.0.1", redisPort), 5_000);
        sockets.add(client);
        sockets.add(redis);
        Thread.ofPlatform().daemon().start(() -> pump(client, redis, true));
        Thread.ofPlatform().daemon().start(() -> pump(redis, client, false));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void pump(Socket from, Socket to, boolean gated) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (gated) {
          awaitOpen();
        }
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // A side closed: the other follows.
    } finally {
      closeQuietly(from);
      closeQuietly(to);
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
