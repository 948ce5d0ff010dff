package dev.guise.flink.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.guise.flink.FetchRequest;
import dev.guise.flink.HostKeySelector;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.junit.jupiter.api.Test;

class WarmUpsTest {
  @Test
  void eachHostIsWarmedUpByTheOneTaskItsRequestsAreKeyedTo() throws Exception {
    Map<String, List<String>> warmUp = new LinkedHashMap<>();
    for (int k = 0; k < 50; k++) {
      warmUp.put("site-" + k + ".test:8443", List.of("127.0.1." + (k + 1)));
    }
    int parallelism = 3;
    int maxParallelism = 128;
    Set<String> seen = new HashSet<>();
    for (int subtask = 0; subtask < parallelism; subtask++) {
      for (WarmUps.Target t : WarmUps.ownedBy(warmUp, subtask, parallelism, maxParallelism)) {
        String key = t.host() + ":" + t.port();
        assertEquals(true, seen.add(key), key + " warmed up by two tasks");
        // Where Flink sends this host's requests, keyed by HostKeySelector.
        String requestKey =
            new HostKeySelector().getKey(FetchRequest.of("https://" + key + "/page"));
        assertEquals(
            subtask,
            KeyGroupRangeAssignment.assignKeyToParallelOperator(
                requestKey, maxParallelism, parallelism));
        assertEquals(List.of(InetAddress.getByName(warmUp.get(key).get(0))), t.ips());
      }
    }
    assertEquals(warmUp.keySet(), seen);
  }

  @Test
  void aHostWithoutAPortIsOn443AndANameIsNotAnIp() {
    List<WarmUps.Target> all = new ArrayList<>();
    all.addAll(WarmUps.ownedBy(Map.of("a.test", List.of("::1")), 0, 1, 128));
    assertEquals(443, all.get(0).port());
    assertThrows(
        IllegalArgumentException.class,
        () -> WarmUps.ownedBy(Map.of("a.test", List.of("localhost")), 0, 1, 128));
  }
}
