package dev.guise.benchmarks.report;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns JMH's JSON results (and the idle-memory figures) into the comparison entries of {@code
 * results.json}: for every benchmark, scenario and metric, each Guise subject against the best peer
 * measured there (the highest throughput, the lowest time, CPU or memory).
 */
public final class Results {
  private static final JSON WRITER = JSON.std.with(JSON.Feature.WRITE_NULL_PROPERTIES);

  private Results() {}

  /** One comparison: a Guise subject against the best peer. */
  public record Entry(
      String benchmark,
      String subject,
      String peer,
      String metric,
      String unit,
      double guise,
      double peerValue,
      String better) {

    public double ratio() {
      return guise / peerValue;
    }

    Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("benchmark", benchmark);
      m.put("subject", subject);
      m.put("peer", peer);
      m.put("metric", metric);
      m.put("unit", unit);
      m.put("guise", number(guise));
      m.put("peer_value", number(peerValue));
      m.put("ratio", number(ratio()));
      m.put("better", better);
      return m;
    }
  }

  /** The measurements in a JMH JSON result file ({@code -rf json}). */
  @SuppressWarnings("unchecked")
  public static List<Measurement> fromJmh(String json) {
    List<Object> runs;
    try {
      runs = JSON.std.listFrom(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a JMH JSON result: " + e.getMessage(), e);
    }
    List<Measurement> out = new ArrayList<>();
    for (Object o : runs) {
      Map<String, Object> run = (Map<String, Object>) o;
      String name = (String) run.get("benchmark");
      String[] parts = name.split("\\.");
      String benchmark =
          parts.length >= 2 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : name;
      Map<String, Object> params = (Map<String, Object>) run.getOrDefault("params", Map.of());
      String subject = String.valueOf(params.getOrDefault("subject", "?"));
      StringBuilder scenario = new StringBuilder();
      for (var p : new TreeMap<>(params).entrySet()) {
        if (!p.getKey().equals("subject")) {
          scenario
              .append(scenario.isEmpty() ? "" : ", ")
              .append(p.getKey())
              .append('=')
              .append(p.getValue());
        }
      }
      String mode = (String) run.get("mode");
      Map<String, Object> primary = (Map<String, Object>) run.get("primaryMetric");
      boolean throughput = "thrpt".equals(mode);
      // A Download operation is one page: its figures are per MiB of decoded content.
      double mib =
          benchmark.startsWith("Download.") && params.get("page") instanceof String page
              ? pageMiB(page)
              : Double.NaN;
      boolean perMiB = throughput && !Double.isNaN(mib) && "ops/s".equals(primary.get("scoreUnit"));
      out.add(
          new Measurement(
              benchmark,
              scenario.toString(),
              subject,
              throughput ? "throughput" : "time",
              perMiB ? "MiB/s" : (String) primary.get("scoreUnit"),
              num(primary.get("score")) * (perMiB ? mib : 1),
              num(primary.get("scoreError")) * (perMiB ? mib : 1),
              throughput));
      Map<String, Object> secondary =
          (Map<String, Object>) run.getOrDefault("secondaryMetrics", Map.of());
      for (var s : secondary.entrySet()) {
        Map<String, Object> m = (Map<String, Object>) s.getValue();
        boolean cpu =
            perMiB && s.getKey().equals("cpu.per.op") && "ns/op".equals(m.get("scoreUnit"));
        // ns per page over MiB per page, in ms: CPU milliseconds per MiB decoded.
        double scale = cpu ? 1 / (mib * 1e6) : 1;
        out.add(
            new Measurement(
                benchmark,
                scenario.toString(),
                subject,
                cpu ? "cpu.per.mib" : s.getKey(),
                cpu ? "ms/MiB" : (String) m.get("scoreUnit"),
                num(m.get("score")) * scale,
                num(m.get("scoreError")) * scale,
                false));
      }
    }
    return out;
  }

  /** A page size parameter of {@code Download} ("16KiB", "1MiB") in MiB. */
  static double pageMiB(String page) {
    if (page.endsWith("KiB")) {
      return Double.parseDouble(page.substring(0, page.length() - 3)) / 1024;
    }
    if (page.endsWith("MiB")) {
      return Double.parseDouble(page.substring(0, page.length() - 3));
    }
    throw new IllegalArgumentException("not a page size: " + page);
  }

  /** A JMH score: any JSON number; JMH writes "NaN" (a string) where it has none. */
  private static double num(Object o) {
    return o instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  /** For each benchmark, scenario and metric: every Guise subject against the best peer. */
  public static List<Entry> compare(List<Measurement> all) {
    Map<String, List<Measurement>> groups = new LinkedHashMap<>();
    for (Measurement m : all) {
      groups.computeIfAbsent(m.label() + "\u0000" + m.metric(), k -> new ArrayList<>()).add(m);
    }
    List<Entry> entries = new ArrayList<>();
    for (List<Measurement> g : groups.values()) {
      Comparator<Measurement> best = Comparator.comparingDouble(Measurement::value);
      if (g.get(0).higherIsBetter()) {
        best = best.reversed();
      }
      var peer = g.stream().filter(m -> !m.isGuise() && !Double.isNaN(m.value())).min(best);
      if (peer.isEmpty()) {
        continue;
      }
      for (Measurement m : g) {
        if (m.isGuise()) {
          entries.add(
              new Entry(
                  m.label(),
                  m.subject(),
                  peer.get().subject(),
                  m.metric(),
                  m.unit(),
                  m.value(),
                  peer.get().value(),
                  m.higherIsBetter() ? "higher" : "lower"));
        }
      }
    }
    return entries;
  }

  /** {@code entries} as the JSON list of {@code results.json}. */
  public static String toJson(List<Entry> entries) {
    return jsonList(entries.stream().map(Entry::toJson).toList());
  }

  /** The raw measurements as JSON (every subject, peers included). */
  public static String measurementsToJson(List<Measurement> all) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Measurement m : all) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("benchmark", m.benchmark());
      row.put("scenario", m.scenario());
      row.put("subject", m.subject());
      row.put("metric", m.metric());
      row.put("unit", m.unit());
      row.put("value", number(m.value()));
      row.put("error", number(m.error()));
      row.put("better", m.higherIsBetter() ? "higher" : "lower");
      rows.add(row);
    }
    return jsonList(rows);
  }

  /**
   * A JSON array with one object a line, each written by jackson-jr: a re-run's diff of the
   * committed results then shows one line per comparison that changed.
   */
  private static String jsonList(List<Map<String, Object>> rows) {
    StringBuilder b = new StringBuilder("[\n");
    for (int i = 0; i < rows.size(); i++) {
      try {
        b.append("  ").append(WRITER.asString(rows.get(i)));
      } catch (IOException e) {
        // Strings and numbers only: nothing here can fail to write.
        throw new UncheckedIOException(e);
      }
      b.append(i + 1 < rows.size() ? ",\n" : "\n");
    }
    return b.append("]\n").toString();
  }

  /**
   * A measured value for JSON: null for NaN and infinities (JSON has no words for them), a whole
   * value as an integer, any other as it is.
   */
  private static Object number(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return null;
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return (long) v;
    }
    return v;
  }

  /** The comparison as a text table. */
  public static String table(List<Entry> entries) {
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {
          "benchmark",
          "metric",
          "subject",
          "guise",
          "best peer",
          "peer value",
          "unit",
          "ratio",
          "better"
        });
    for (Entry e : entries) {
      rows.add(
          new String[] {
            e.benchmark(),
            e.metric(),
            e.subject(),
            fmt(e.guise()),
            e.peer(),
            fmt(e.peerValue()),
            e.unit(),
            String.format(Locale.ROOT, "%.2f", e.ratio()),
            e.better()
          });
    }
    return render(rows);
  }

  /** Every measurement as a text table. */
  public static String rawTable(List<Measurement> all) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"benchmark", "metric", "subject", "value", "error", "unit"});
    for (Measurement m : all) {
      rows.add(
          new String[] {
            m.label(),
            m.metric(),
            m.subject(),
            fmt(m.value()),
            Double.isNaN(m.error()) ? "" : "± " + fmt(m.error()),
            m.unit()
          });
    }
    return render(rows);
  }

  static String fmt(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    double a = Math.abs(v);
    return a >= 100
        ? String.format(Locale.ROOT, "%,.0f", v)
        : a >= 1 ? String.format(Locale.ROOT, "%.2f", v) : String.format(Locale.ROOT, "%.4f", v);
  }

  private static String render(List<String[]> rows) {
    int[] width = new int[rows.get(0).length];
    for (String[] r : rows) {
      for (int c = 0; c < r.length; c++) {
        width[c] = Math.max(width[c], r[c].length());
      }
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < rows.size(); i++) {
      String[] r = rows.get(i);
      b.append("| ");
      for (int c = 0; c < r.length; c++) {
        b.append(String.format("%-" + width[c] + "s", r[c])).append(" | ");
      }
      b.setLength(b.length() - 1);
      b.append('\n');
      if (i == 0) {
        b.append('|');
        for (int w : width) {
          b.append("-".repeat(w + 2)).append('|');
        }
        b.append('\n');
      }
    }
    return b.toString();
  }
}
