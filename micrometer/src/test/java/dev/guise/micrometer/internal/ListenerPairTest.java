package dev.guise.micrometer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.guise.api.TlsEndpoint;
import dev.guise.pool.stats.PoolEventListener;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The metrics' listener and the user's side by side. */
class ListenerPairTest {
  /** A listener method the pair does not pass on would go silently missing for the user. */
  @Test
  void thePairPassesOnEveryEvent() throws Exception {
    for (Method m : PoolEventListener.class.getMethods()) {
      if (Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      Method own = ListenerPair.class.getMethod(m.getName(), m.getParameterTypes());
      assertEquals(ListenerPair.class, own.getDeclaringClass(), m.toString());
    }
  }

  @Test
  void aFailingMetricKeepsNoEventFromTheUsersListener() throws Exception {
    AtomicInteger heard = new AtomicInteger();
    PoolEventListener broken =
        new PoolEventListener() {
          @Override
          public void connectionOpened(TlsEndpoint endpoint, String profile, Duration handshake) {
            throw new IllegalStateException("a registry that throws");
          }
        };
    PoolEventListener user =
        new PoolEventListener() {
          @Override
          public void connectionOpened(TlsEndpoint endpoint, String profile, Duration handshake) {
            heard.incrementAndGet();
          }
        };
    ListenerPair pair = new ListenerPair(broken, user);
    TlsEndpoint endpoint = new TlsEndpoint("a.test", InetAddress.getByName("127.0.1.1"), 443);
    pair.connectionOpened(endpoint, "chrome-156", Duration.ofMillis(5));
    pair.connectionOpened(endpoint, "chrome-156", Duration.ofMillis(5));
    assertEquals(2, heard.get());
  }
}
