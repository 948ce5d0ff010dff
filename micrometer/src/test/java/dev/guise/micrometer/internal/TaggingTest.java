package dev.guise.micrometer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.core.instrument.Tags;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The cardinality guard, and the host names of the stats. */
class TaggingTest {
  @Test
  void theFirstValuesKeepTheirNamesAndTheRestAreOther() {
    TagLimiter limiter = new TagLimiter(2);
    assertEquals("a", limiter.tag("a", "a"));
    assertEquals("b", limiter.tag("b", "b"));
    assertEquals(TagLimiter.OTHER, limiter.tag("c", "c"));
    assertEquals("a", limiter.tag("a", "a"), "a value once given stays");
    assertEquals(TagLimiter.OTHER, limiter.tag("c", "c"));
    assertEquals(TagLimiter.OTHER, new TagLimiter(0).tag("a", "a"));
    assertThrows(IllegalArgumentException.class, () -> new TagLimiter(-1));
  }

  @Test
  void manyThreadsAtOnceNeverAdmitMoreThanTheLimit() throws Exception {
    TagLimiter limiter = new TagLimiter(10);
    Set<String> named = ConcurrentHashMap.newKeySet();
    try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int offset = t;
        done.add(
            threads.submit(
                () -> {
                  for (int i = 0; i < 1000; i++) {
                    String v = "v" + ((i * 7 + offset) % 500);
                    named.add(limiter.tag(v, v));
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    }
    named.remove(TagLimiter.OTHER);
    assertEquals(10, named.size(), "" + named);
  }

  @Test
  void ipTagsAreBoundedPerHostAndIpPairAndLeftOutAtZero() throws Exception {
    InetAddress one = InetAddress.getByName("127.0.1.1");
    InetAddress two = InetAddress.getByName("127.0.1.2");
    Tagging tagging = new Tagging(Tags.of("pool", "p"), 1, 1);
    assertEquals(
        Tags.of("pool", "p", "host", "a.test", "ip", "127.0.1.1"), tagging.route("A.test", one));
    assertEquals(
        Tags.of("pool", "p", "host", "a.test", "ip", "other"), tagging.route("a.test", two));
    assertEquals(
        Tags.of("pool", "p", "host", "other", "ip", "other"), tagging.route("b.test", one));
    assertEquals(Tags.of("host", "a.test"), new Tagging(Tags.empty(), 5, 0).route("a.test", one));
  }

  @Test
  void theStatsHostLosesItsPortAsTheEventsHostHasNone() {
    assertEquals("www.a.test", Tagging.hostName("www.a.test"));
    assertEquals("www.a.test", Tagging.hostName("www.a.test:8443"));
    assertEquals("[::1]", Tagging.hostName("[::1]:8443"));
    assertEquals("[::1]", Tagging.hostName("[::1]"));
    assertEquals("::1", Tagging.hostName("::1"));
    assertEquals("127.0.0.1", Tagging.hostName("127.0.0.1:8443"));
  }
}
