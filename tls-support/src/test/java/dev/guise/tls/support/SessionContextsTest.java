package dev.guise.tls.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.guise.api.TrustPolicy;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

class SessionContextsTest {
  private final AtomicInteger created = new AtomicInteger();
  private final SessionContexts contexts =
      new SessionContexts(
          2,
          policy -> {
            created.incrementAndGet();
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, null, null);
            return context;
          });
  private final TrustPolicy system = TrustPolicy.systemDefaults();

  @Test
  void oneContextPerPolicyProfileAndScope() throws Exception {
    SSLContext direct = contexts.forScope(system, "chrome", "direct");
    assertSame(direct, contexts.forScope(system, "chrome", "direct"));
    assertNotSame(direct, contexts.forScope(system, "firefox", "direct"));
    assertNotSame(direct, contexts.forScope(system, "chrome", "proxy a"));
    assertEquals(3, created.get());
  }

  @Test
  void aSharedContextKeepsAtMostAsManySessionsAsChromium() throws Exception {
    SSLContext shared = contexts.forScope(system, "chrome", "direct");
    assertEquals(1024, shared.getClientSessionContext().getSessionCacheSize());
  }

  @Test
  void withoutResumptionEveryConnectionHasItsOwn() throws Exception {
    SSLContext shared = contexts.forScope(system, "chrome", "direct");
    SSLContext a = contexts.withoutResumption(system);
    SSLContext b = contexts.withoutResumption(system);
    assertNotSame(a, b);
    assertNotSame(shared, a);
  }

  @Test
  void theLeastRecentlyUsedContextGoesWhenTheBoundIsPassed() throws Exception {
    SSLContext first = contexts.forScope(system, "chrome", "one");
    SSLContext second = contexts.forScope(system, "chrome", "two");
    assertSame(first, contexts.forScope(system, "chrome", "one")); // "two" is now the eldest
    contexts.forScope(system, "chrome", "three");
    assertEquals(2, contexts.size());
    assertSame(first, contexts.forScope(system, "chrome", "one"));
    assertNotSame(second, contexts.forScope(system, "chrome", "two"), "made again");
  }
}
