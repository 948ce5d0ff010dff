package dev.guise.cli.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@code guise demo --fleet} reports: per process, and for the fleet in total. */
record FleetReport(
    int processes,
    String redis,
    long requests,
    long bansLocal,
    long bansFromFleet,
    Map<String, Object> propagationMs,
    long requestsToBannedAfterPropagation,
    double configuredPerSecond,
    double observedPerSecond,
    int blockedIps,
    List<Map<String, Object>> perProcess) {

  /**
   * The fleet's figures from each worker's: the observed rate is what the server received in the
   * window (retries included: each attempt takes a token), over the window.
   */
  static FleetReport of(
      List<Map<String, Object>> workers,
      String redis,
      double configuredPerSecond,
      long serverReceived,
      Duration window,
      int blockedIps) {
    double seconds = window.toMillis() / 1000.0;
    long requests = 0;
    long local = 0;
    long fleet = 0;
    long toBanned = 0;
    List<Long> all = new ArrayList<>();
    List<Map<String, Object>> per = new ArrayList<>();
    for (Map<String, Object> w : workers) {
      List<Long> samples = samples(w.get("ban_propagation_samples_ms"));
      all.addAll(samples);
      long r = number(w, "requests");
      requests += r;
      local += number(w, "bans_local");
      fleet += number(w, "bans_from_fleet");
      toBanned += number(w, "requests_to_banned_after_propagation");
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("process", number(w, "process"));
      m.put("requests", r);
      m.put("ok", number(w, "ok"));
      m.put("failed", number(w, "failed"));
      m.put("failed_by_kind", w.get("failed_by_kind"));
      m.put("first_failure", w.get("first_failure"));
      m.put("bans_local", number(w, "bans_local"));
      m.put("bans_from_fleet", number(w, "bans_from_fleet"));
      m.put("ban_propagation_ms", percentiles(samples));
      m.put(
          "requests_to_banned_after_propagation",
          number(w, "requests_to_banned_after_propagation"));
      m.put("rate_per_s", r / seconds);
      per.add(m);
    }
    return new FleetReport(
        workers.size(),
        redis,
        requests,
        local,
        fleet,
        percentiles(all),
        toBanned,
        configuredPerSecond,
        serverReceived / seconds,
        blockedIps,
        per);
  }

  private static long number(Map<String, Object> m, String key) {
    return m.get(key) instanceof Number n ? n.longValue() : 0;
  }

  private static List<Long> samples(Object o) {
    List<Long> out = new ArrayList<>();
    if (o instanceof List<?> list) {
      for (Object v : list) {
        if (v instanceof Number n) {
          out.add(n.longValue());
        }
      }
    }
    return out;
  }

  /** p50, p99 and max (nearest rank) of {@code ms}; nulls when there are none. */
  static Map<String, Object> percentiles(List<Long> ms) {
    List<Long> sorted = new ArrayList<>(ms);
    sorted.sort(null);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("p50", rank(sorted, 0.50));
    m.put("p99", rank(sorted, 0.99));
    m.put("max", sorted.isEmpty() ? null : sorted.get(sorted.size() - 1));
    return m;
  }

  private static Long rank(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return null;
    }
    return sorted.get(NearestRank.index(sorted.size(), p));
  }

  Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("processes", processes);
    m.put("redis", redis);
    m.put("requests", requests);
    m.put("bans_local", bansLocal);
    m.put("bans_from_fleet", bansFromFleet);
    m.put("ban_propagation_ms", propagationMs);
    m.put("requests_to_banned_after_propagation", requestsToBannedAfterPropagation);
    Map<String, Object> rate = new LinkedHashMap<>();
    rate.put("configured_per_s", configuredPerSecond);
    rate.put("observed_per_s", observedPerSecond);
    m.put("rate_limit", rate);
    m.put("per_process", perProcess);
    return m;
  }

  String text() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("fleet: %d processes sharing Redis %s%n", processes, redis));
    sb.append(
        String.format(
            "  requests %d; bans made locally %d, learned from the fleet %d (%d IPs answer 403)%n",
            requests, bansLocal, bansFromFleet, blockedIps));
    sb.append(
        String.format(
            "  ban propagation: p50 %s ms, p99 %s ms, max %s ms%n",
            propagationMs.get("p50"), propagationMs.get("p99"), propagationMs.get("max")));
    sb.append(
        String.format(
            "  requests to a banned IP after the ban reached the process: %d%n",
            requestsToBannedAfterPropagation));
    sb.append(
        String.format(
            "  rate: configured %.1f/s for the fleet, observed %.2f/s at the server%n",
            configuredPerSecond, observedPerSecond));
    for (Map<String, Object> p : perProcess) {
      @SuppressWarnings("unchecked")
      Map<String, Object> pm = (Map<String, Object>) p.get("ban_propagation_ms");
      sb.append(
          String.format(
              "  process %s: %s requests (%s failed), %.2f/s; bans local %s, from the fleet %s"
                  + " (p50 %s ms, max %s ms); to banned after propagation %s%n",
              p.get("process"),
              p.get("requests"),
              p.get("failed"),
              p.get("rate_per_s"),
              p.get("bans_local"),
              p.get("bans_from_fleet"),
              pm.get("p50"),
              pm.get("max"),
              p.get("requests_to_banned_after_propagation")));
    }
    return sb.toString();
  }
}
