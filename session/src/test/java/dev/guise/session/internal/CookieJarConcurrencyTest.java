package dev.guise.session.internal;

import static dev.guise.session.internal.CookieRulesTest.nav;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.session.CookieContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A session's requests run at once: the jar's books stay right under concurrent use. */
class CookieJarConcurrencyTest {

  @Test
  void concurrentStoresReadsAndEvictionsKeepTheCountsRight() throws Exception {
    BrowserCookieJar jar = new BrowserCookieJar(new MutableClock());
    int threads = 8;
    int perThread = 2_000;
    List<Future<?>> done = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      for (int t = 0; t < threads; t++) {
        int id = t;
        done.add(
            pool.submit(
                () -> {
                  // Each thread has its own site (bounded by the per-domain limit) and also
                  // writes to one site all threads share (where evictions race).
                  CookieContext own = nav("https://t" + id + ".example/");
                  CookieContext shared = nav("https://shared.example/");
                  for (int i = 0; i < perThread; i++) {
                    jar.storeField(own, "c" + i + "=" + i);
                    jar.storeField(shared, "t" + id + "c" + i + "=" + i);
                    Optional<String> header = jar.cookieHeader(own);
                    assertTrue(header.isPresent());
                    jar.cookieHeader(shared);
                    if (i % 500 == 0) {
                      jar.cookies();
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    }
    // Every site holds at most its limit, and the count matches what is listed.
    assertEquals(jar.cookies().size(), jar.size());
    assertTrue(jar.size() <= (threads + 1) * BrowserCookieJar.MAX_PER_DOMAIN, "" + jar.size());
    for (int t = 0; t < threads; t++) {
      // The last cookie each thread stored is there.
      String header = jar.cookieHeader(nav("https://t" + t + ".example/")).orElseThrow();
      assertTrue(header.contains("c" + (perThread - 1) + "="), header);
    }
  }
}
