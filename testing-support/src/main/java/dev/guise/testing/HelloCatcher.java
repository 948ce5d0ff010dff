package dev.guise.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A loopback listener that records the first ClientHello of each connection (the whole TLS records
 * carrying it) and hangs up: no handshake ever completes, so a client's connect attempt ends in an
 * {@link IOException} after its hello was caught.
 */
public final class HelloCatcher implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final ServerSocket server;
  private final Thread acceptor;
  private final BlockingQueue<byte[]> hellos = new ArrayBlockingQueue<>(64);

  /** Listens on 127.0.0.1 on a free port. */
  public HelloCatcher() throws IOException {
    server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    acceptor = Thread.ofPlatform().daemon().name("hello-catcher").start(this::serve);
  }

  public InetAddress address() {
    return server.getInetAddress();
  }

  public int port() {
    return server.getLocalPort();
  }

  /** The next caught hello, waiting at most 10 s (a bound, not a speed assertion). */
  public byte[] nextHello() throws InterruptedException {
    byte[] hello = hellos.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (hello == null) {
      throw new AssertionError("no ClientHello caught within " + WAIT.toSeconds() + " s");
    }
    return hello;
  }

  private void serve() {
    while (!server.isClosed()) {
      try (Socket s = server.accept()) {
        s.setSoTimeout((int) WAIT.toMillis());
        hellos.add(TlsRecords.readClientHelloRecords(s.getInputStream()));
      } catch (IOException e) {
        // the server was closed, or a client gave up before its hello was whole
      }
    }
  }

  @Override
  public void close() throws Exception {
    server.close();
    acceptor.join(WAIT.toMillis());
  }
}
