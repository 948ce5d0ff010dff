package dev.guise.benchmarks;

import dev.guise.benchmarks.clients.HttpSubject;
import dev.guise.benchmarks.server.ServerProcess;
import dev.guise.testkit.TestServer;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Retained heap per idle pooled TLS connection, measured the same way for every client (not a JMH
 * benchmark: JMH measures time). Run in a fresh JVM per client and protocol with the serial
 * collector:
 *
 * <ol>
 *   <li>create the client, open {@value #PRIMING} connections (one GET each, to distinct IPs of the
 *       testkit server) so that classes, caches and the client's shared machinery exist;
 *   <li>full GC until the used heap settles; read it;
 *   <li>open {@code n} more connections the same way (one per IP, each carries one GET and is left
 *       idle in the client's pool);
 *   <li>full GC again; read it; (after - before) / n is the retained heap per idle connection.
 * </ol>
 *
 * The client stays reachable throughout. Native memory (platform thread stacks, Conscrypt's native
 * SSL objects, direct buffers) is not heap and is not counted for anyone.
 *
 * <p>Prints {@code RESULT <subject> <protocol> <bytes per connection> <connections>}.
 */
public final class IdleMemory {
  static final int PRIMING = 10;

  private IdleMemory() {}

  public static void main(String[] args) throws Exception {
    String subject = args[0];
    boolean h2 = args[1].equals("h2");
    int n = Integer.parseInt(args[2]);
    ServerProcess server = ServerProcess.shared("testkit", "1000");
    List<InetAddress> ips = TestServer.loopbackAddresses(PRIMING + n);
    try (HttpSubject client = HttpSubject.create(subject, h2, server, 1, PRIMING + n)) {
      open(client, server, ips.subList(0, PRIMING), h2);
      long before = settledHeap();
      open(client, server, ips.subList(PRIMING, PRIMING + n), h2);
      long after = settledHeap();
      Reference.reachabilityFence(client);
      System.out.printf("RESULT %s %s %d %d%n", subject, args[1], (after - before) / n, n);
    } finally {
      server.close();
    }
    System.exit(0);
  }

  private static void open(
      HttpSubject client, ServerProcess server, List<InetAddress> ips, boolean h2)
      throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      List<Future<String>> done = new ArrayList<>();
      for (InetAddress ip : ips) {
        URI uri = URI.create("https://" + ip.getHostAddress() + ":" + server.port() + "/idle");
        done.add(pool.submit(() -> client.get(uri)));
      }
      for (Future<String> f : done) {
        String protocol = f.get(60, TimeUnit.SECONDS);
        if (!protocol.equals(h2 ? "h2" : "http/1.1")) {
          throw new IllegalStateException("negotiated " + protocol);
        }
      }
    }
    Thread.sleep(500); // let background readers and pools settle
  }

  private static long settledHeap() throws InterruptedException {
    long last = Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      System.gc();
      Thread.sleep(100);
      long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      if (Math.abs(used - last) < 4096) {
        return used;
      }
      last = used;
    }
    return last;
  }
}
