package dev.guise.pool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The idle stack's ownership rule (each connection on it once; whoever takes it off owns it),
 * before and after it splits into stripes under contention.
 */
class IdleStackTest {
  private static final Route ROUTE =
      new Route(new HostKey("example.test", 443), InetAddress.getLoopbackAddress());

  private static List<PooledConnection> connections(int n) {
    List<PooledConnection> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new PooledConnection(i, ROUTE, null, "test", 0));
    }
    return out;
  }

  private static Set<PooledConnection> drain(IdleStack stack) {
    Set<PooledConnection> out = new HashSet<>();
    PooledConnection c;
    while ((c = stack.pollLast()) != null) {
      assertTrue(out.add(c), "taken twice: " + c.id);
    }
    return out;
  }

  @Test
  void oneThreadGetsTheMostRecentlyIdledFirstAndNeverSplits() {
    IdleStack stack = new IdleStack();
    List<PooledConnection> cs = connections(3);
    cs.forEach(stack::addLast);
    assertTrue(stack.remove(cs.get(1)));
    assertFalse(stack.remove(cs.get(1)), "removed once only");
    assertSame(cs.get(2), stack.pollLast());
    assertSame(cs.get(0), stack.pollLast());
    assertNull(stack.pollLast());
    assertFalse(stack.isStriped(), "no contention, no stripes");
  }

  /**
   * Threads lease and idle connections of one stack as fast as they can until it has split, and for
   * as long again after: no connection is ever held by two threads, none is lost, and after the
   * split another thread (with another first stripe) still finds and removes every one.
   */
  @Test
  void contendingThreadsSplitTheStackAndNeverShareOrLoseAConnection() throws Exception {
    IdleStack stack = new IdleStack();
    List<PooledConnection> cs = connections(16);
    cs.forEach(stack::addLast);
    Set<PooledConnection> held = ConcurrentHashMap.newKeySet();
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    while (!stop.get() && failures.isEmpty()) {
                      PooledConnection c = stack.pollLast();
                      if (c == null) {
                        continue; // all 16 held by the others at this instant
                      }
                      if (!held.add(c)) {
                        failures.add(new AssertionError("connection " + c.id + " taken twice"));
                      }
                      held.remove(c);
                      stack.addLast(c);
                    }
                  }));
    }
    long until = System.nanoTime() + 10_000_000_000L;
    while (!stack.isStriped() && System.nanoTime() < until && failures.isEmpty()) {
      Thread.sleep(5);
    }
    boolean split = stack.isStriped();
    Thread.sleep(split ? 300 : 0);
    stop.set(true);
    for (Thread t : threads) {
      t.join(10_000);
      assertFalse(t.isAlive());
    }
    assertEquals(List.of(), failures);
    assertTrue(split, "four threads on one stack for 10 s found it locked at least once");

    PooledConnection some = cs.get(5);
    assertTrue(stack.remove(some), "removal looks in every stripe");
    Set<PooledConnection> left = drain(stack);
    assertEquals(15, left.size(), "every connection but the removed one, each once");
    assertFalse(left.contains(some));

    // Idled on many threads, each starting at a stripe of its own; all taken by this one.
    List<PooledConnection> more = connections(64);
    List<Thread> idlers = new ArrayList<>();
    for (PooledConnection c : more) {
      idlers.add(Thread.ofPlatform().start(() -> stack.addLast(c)));
    }
    for (Thread t : idlers) {
      t.join(10_000);
    }
    assertEquals(new HashSet<>(more), drain(stack));
  }
}
