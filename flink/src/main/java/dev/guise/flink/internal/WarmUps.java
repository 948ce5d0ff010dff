package dev.guise.flink.internal;

import dev.guise.flink.FetchRequest;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

/** Which hosts of a warm-up list a task owns, by the same hashing as Flink's keyed streams. */
public final class WarmUps {
  private WarmUps() {}

  /** A host to warm up: name, port and IPs. */
  public record Target(String host, int port, List<InetAddress> ips) {}

  /**
   * The hosts of {@code warmUp} whose key Flink assigns to {@code subtask}: a keyed stream sends
   * every request of such a host to this task, so only this task needs (and gets) its connections.
   *
   * @throws IllegalArgumentException an IP that is not a literal
   */
  public static List<Target> ownedBy(
      Map<String, List<String>> warmUp, int subtask, int parallelism, int maxParallelism) {
    List<Target> out = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : new LinkedHashMap<>(warmUp).entrySet()) {
      String key = e.getKey();
      int owner =
          KeyGroupRangeAssignment.assignKeyToParallelOperator(key, maxParallelism, parallelism);
      if (owner != subtask) {
        continue;
      }
      List<InetAddress> ips = new ArrayList<>();
      for (String ip : e.getValue()) {
        try {
          ips.add(Requests.pinnedIp(new FetchRequest(null, ip, null, null)));
        } catch (Requests.Invalid invalid) {
          throw new IllegalArgumentException("warmUp of " + key + ": " + invalid.getMessage());
        }
      }
      int colon = key.lastIndexOf(':');
      boolean hasPort = colon > 0 && key.indexOf(':') == colon;
      String host = hasPort ? key.substring(0, colon) : key;
      int port = hasPort ? Integer.parseInt(key.substring(colon + 1)) : 443;
      out.add(new Target(host, port, ips));
    }
    return out;
  }
}
