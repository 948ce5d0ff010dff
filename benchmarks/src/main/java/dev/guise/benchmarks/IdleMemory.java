package dev.guise.benchmarks;

import dev.guise.benchmarks.clients.HttpSubject;
import dev.guise.benchmarks.server.ServerProcess;
import dev.guise.testkit.TestServer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.ref.Reference;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * Retained heap per idle pooled TLS connection, measured the same way for every client (not a JMH
 * benchmark: JMH measures time). Run in a fresh JVM per client and protocol with the serial
 * collector:
 *
 * <ol>
 *   <li>create the client, open {@value #PRIMING} connections (one GET each, to distinct IPs of the
 *       testkit server) so that classes, caches and the client's shared machinery exist;
 *   <li>full GC until the live heap settles; read it (the heap in use right after the collection);
 *   <li>open {@code n} more connections the same way (one per IP, each carries one GET and is left
 *       idle in the client's pool);
 *   <li>full GC again; read it; (after - before) / n is the retained heap per idle connection.
 * </ol>
 *
 * The client stays reachable throughout. Native memory (platform thread stacks, Conscrypt's native
 * SSL objects, direct buffers) is not heap and is not counted in that figure for anyone. When the
 * JVM tracks native memory ({@code -XX:NativeMemoryTracking=summary}, as {@code BenchRunner} runs
 * it), the committed native memory is read at the same two points and printed too: with the heap
 * fixed ({@code -Xms} = {@code -Xmx}) its growth is what the connections hold outside the heap.
 *
 * <p>Prints {@code RESULT <subject> <protocol> <bytes per connection> <connections>}, and {@code
 * NATIVE <subject> <protocol> <committed native bytes per connection>} when tracked.
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
      long nativeBefore = committedNative();
      open(client, server, ips.subList(PRIMING, PRIMING + n), h2);
      long after = settledHeap();
      long nativeAfter = committedNative();
      Reference.reachabilityFence(client);
      System.out.printf("RESULT %s %s %d %d%n", subject, args[1], (after - before) / n, n);
      if (nativeBefore >= 0 && nativeAfter >= 0) {
        System.out.printf("NATIVE %s %s %d%n", subject, args[1], (nativeAfter - nativeBefore) / n);
      }
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
    // Let background readers and pools settle: 6 s, so that Guise's adaptive HTTP/2 readers pass
    // their quiet read tick (5 s) and move to the virtual thread an idle connection keeps.
    Thread.sleep(6_000);
  }

  /**
   * The JVM's committed memory outside the Java heap, from native memory tracking's summary (the
   * {@code VM.native_memory} diagnostic command); -1 when tracking is off.
   */
  private static long committedNative() throws Exception {
    String summary =
        (String)
            ManagementFactory.getPlatformMBeanServer()
                .invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "vmNativeMemory",
                    new Object[] {new String[] {"summary", "scale=b"}},
                    new String[] {String[].class.getName()});
    Matcher total = COMMITTED.matcher(summary);
    Matcher heap = HEAP_COMMITTED.matcher(summary);
    if (!total.find() || !heap.find()) {
      return -1;
    }
    return Long.parseLong(total.group(1)) - Long.parseLong(heap.group(1));
  }

  private static final Pattern COMMITTED =
      Pattern.compile("Total: reserved=\\d+, committed=(\\d+)");
  private static final Pattern HEAP_COMMITTED =
      Pattern.compile("Java Heap \\(reserved=\\d+, committed=(\\d+)\\)");

  /**
   * The live heap after a full collection, once two collections in a row agree within 4 KiB: the
   * sum over the heap's pools of their usage right after the last collection ({@link
   * MemoryPoolMXBean#getCollectionUsage()}). Not the pools' usage when read: between the collection
   * and the read, any thread that allocates takes a fresh thread-local allocation buffer, and the
   * whole buffer (up to a few MiB of eden) counts as used. Which threads allocate in that moment
   * varies from run to run, and it made this figure bimodal (see the benchmarks' README, twentieth
   * session).
   */
  private static long settledHeap() throws InterruptedException {
    long last = Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      System.gc();
      Thread.sleep(100);
      long live = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        MemoryUsage afterGc = pool.getCollectionUsage();
        if (pool.getType() == MemoryType.HEAP && afterGc != null) {
          live += afterGc.getUsed();
        }
      }
      if (Math.abs(live - last) < 4096) {
        return live;
      }
      last = live;
    }
    return last;
  }
}
