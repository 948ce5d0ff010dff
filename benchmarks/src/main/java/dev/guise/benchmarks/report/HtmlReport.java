package dev.guise.benchmarks.report;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes {@code report.html}: for every benchmark, scenario and metric a bar chart of every subject
 * measured (Guise's in blue, the peers in grey) with JMH's error as error bars, idle memory per
 * client among them; then the comparison table of {@code results.json}. One file, inline SVG and
 * CSS only: it opens from disk, offline, in any browser, and loads nothing.
 *
 * <p>Run on its own it renders saved measurements: {@code HtmlReport MEASUREMENTS.json OUT.html
 * [MACHINE]}.
 */
public final class HtmlReport {
  /** Guise's bars. */
  static final String GUISE_COLOR = "#1565c0";

  /** The peers' bars. */
  static final String PEER_COLOR = "#9e9e9e";

  private static final int CHART_WIDTH = 760;
  private static final int LABEL_WIDTH = 210;
  private static final int VALUE_WIDTH = 150;
  private static final int ROW_HEIGHT = 24;
  private static final int BAR_HEIGHT = 16;
  private static final int AXIS_HEIGHT = 26;

  private HtmlReport() {}

  /** {@code HtmlReport MEASUREMENTS.json OUT.html [MACHINE]}: renders saved measurements. */
  public static void main(String[] args) throws IOException {
    if (args.length < 2 || args.length > 3) {
      throw new IllegalArgumentException("usage: HtmlReport MEASUREMENTS.json OUT.html [MACHINE]");
    }
    List<Measurement> all = fromMeasurementsJson(Files.readString(Path.of(args[0])));
    String machine = args.length == 3 ? args[2] : "";
    Files.writeString(
        Path.of(args[1]), render(all, Results.compare(all), machine), StandardCharsets.UTF_8);
  }

  /** The measurements written by {@link Results#measurementsToJson}. */
  public static List<Measurement> fromMeasurementsJson(String json) throws IOException {
    List<Measurement> out = new ArrayList<>();
    for (Object o : JSON.std.listFrom(json)) {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) o;
      out.add(
          new Measurement(
              (String) m.get("benchmark"),
              (String) m.get("scenario"),
              (String) m.get("subject"),
              (String) m.get("metric"),
              (String) m.get("unit"),
              num(m.get("value")),
              num(m.get("error")),
              "higher".equals(m.get("better"))));
    }
    return out;
  }

  private static double num(Object o) {
    return o instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  /** The whole page. */
  public static String render(List<Measurement> all, List<Results.Entry> entries, String machine) {
    StringBuilder b = new StringBuilder();
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>Guise benchmarks</title>\n<style>\n")
        .append("body{font-family:sans-serif;margin:24px;color:#212121;max-width:1100px}\n")
        .append("table{border-collapse:collapse;font-size:13px;margin-bottom:24px}\n")
        .append("th,td{border:1px solid #ccc;padding:3px 8px;text-align:left;white-space:nowrap}\n")
        .append("td.n{text-align:right;font-variant-numeric:tabular-nums}\n")
        .append(".better{background:#c8e6c9}.worse{background:#ffcdd2}\n")
        .append("section{display:inline-block;vertical-align:top;margin:0 24px 24px 0}\n")
        .append("h3{font-size:14px;margin:4px 0}\n")
        .append("svg text{font-family:sans-serif;font-size:12px}\n")
        .append("</style>\n</head>\n<body>\n<h1>Guise benchmarks</h1>\n");
    if (!machine.isBlank()) {
      b.append("<p>Machine: ").append(escape(machine)).append("</p>\n");
    }
    b.append("<p>Bars: <span style=\"color:")
        .append(GUISE_COLOR)
        .append("\">&#9632; Guise</span> <span style=\"color:")
        .append(PEER_COLOR)
        .append("\">&#9632; peers</span>; error bars are JMH's 99.9% confidence interval ")
        .append("(none where JMH reports no error, as for idle memory).</p>\n");
    b.append("<h2>Every subject, per benchmark</h2>\n");
    Map<String, List<Measurement>> groups = new LinkedHashMap<>();
    for (Measurement m : all) {
      groups.computeIfAbsent(m.label() + "\u0000" + m.metric(), k -> new ArrayList<>()).add(m);
    }
    for (List<Measurement> g : groups.values()) {
      b.append("<section>\n<h3>")
          .append(escape(g.get(0).label()))
          .append(": ")
          .append(escape(g.get(0).metric()))
          .append(" (")
          .append(escape(g.get(0).unit()))
          .append(", ")
          .append(g.get(0).higherIsBetter() ? "higher" : "lower")
          .append(" is better)</h3>\n");
      chart(b, g);
      b.append("</section>\n");
    }
    b.append("<h2>Guise against the best peer</h2>\n");
    table(b, entries);
    return b.append("</body>\n</html>\n").toString();
  }

  private static void table(StringBuilder b, List<Results.Entry> entries) {
    b.append("<table>\n<tr><th>benchmark</th><th>metric</th><th>Guise subject</th>")
        .append("<th>Guise</th><th>best peer</th><th>peer value</th><th>unit</th>")
        .append("<th>ratio</th><th>better</th></tr>\n");
    for (Results.Entry e : entries) {
      double r = e.ratio();
      boolean better = e.better().equals("higher") ? r >= 1 : r <= 1;
      b.append("<tr><td>")
          .append(escape(e.benchmark()))
          .append("</td><td>")
          .append(escape(e.metric()))
          .append("</td><td>")
          .append(escape(e.subject()))
          .append("</td><td class=\"n\">")
          .append(Results.fmt(e.guise()))
          .append("</td><td>")
          .append(escape(e.peer()))
          .append("</td><td class=\"n\">")
          .append(Results.fmt(e.peerValue()))
          .append("</td><td>")
          .append(escape(e.unit()))
          .append("</td><td class=\"n ")
          .append(better ? "better" : "worse")
          .append("\">")
          .append(String.format(Locale.ROOT, "%.2f", r))
          .append("</td><td>")
          .append(e.better())
          .append("</td></tr>\n");
    }
    b.append("</table>\n");
  }

  /** A horizontal bar chart of one benchmark, scenario and metric: one bar per subject. */
  static void chart(StringBuilder b, List<Measurement> g) {
    List<Measurement> bars = g.stream().filter(m -> !Double.isNaN(m.value())).toList();
    double max = 0;
    for (Measurement m : bars) {
      max = Math.max(max, m.value() + (Double.isNaN(m.error()) ? 0 : m.error()));
    }
    if (max <= 0) {
      max = 1;
    }
    int plot = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH;
    int height = bars.size() * ROW_HEIGHT + AXIS_HEIGHT;
    b.append(
        String.format(
            Locale.ROOT, "<svg width=\"%d\" height=\"%d\" role=\"img\">%n", CHART_WIDTH, height));
    for (int i = 0; i < bars.size(); i++) {
      Measurement m = bars.get(i);
      int y = i * ROW_HEIGHT;
      double w = m.value() / max * plot;
      b.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
              LABEL_WIDTH - 8,
              y + BAR_HEIGHT - 3,
              escape(m.subject())));
      b.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n",
              LABEL_WIDTH,
              y + 2,
              w,
              BAR_HEIGHT - 2,
              m.isGuise() ? GUISE_COLOR : PEER_COLOR));
      String label = Results.fmt(m.value());
      if (!Double.isNaN(m.error()) && m.error() > 0) {
        double lo = Math.max(0, m.value() - m.error()) / max * plot + LABEL_WIDTH;
        double hi = (m.value() + m.error()) / max * plot + LABEL_WIDTH;
        double mid = y + 2 + (BAR_HEIGHT - 2) / 2.0;
        b.append(
            String.format(
                Locale.ROOT,
                "<path d=\"M%.1f %.1fH%.1fM%.1f %.1fV%.1fM%.1f %.1fV%.1f\" stroke=\"#212121\""
                    + " stroke-width=\"1.5\" fill=\"none\"/>%n",
                lo,
                mid,
                hi,
                lo,
                mid - 5,
                mid + 5,
                hi,
                mid - 5,
                mid + 5));
        label += " \u00b1 " + Results.fmt(m.error());
      }
      b.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\">%s</text>%n",
              CHART_WIDTH - VALUE_WIDTH + 6,
              y + BAR_HEIGHT - 3,
              escape(label)));
    }
    int axisY = bars.size() * ROW_HEIGHT + 2;
    b.append(
        String.format(
            Locale.ROOT,
            "<path d=\"M%d %dH%d\" stroke=\"#757575\"/>%n",
            LABEL_WIDTH,
            axisY,
            LABEL_WIDTH + plot));
    for (int t = 0; t <= 4; t++) {
      double x = LABEL_WIDTH + plot * t / 4.0;
      b.append(
          String.format(
              Locale.ROOT,
              "<path d=\"M%.1f %dV%d\" stroke=\"#757575\"/>"
                  + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#616161\">%s</text>%n",
              x,
              axisY,
              axisY + 4,
              x,
              axisY + 17,
              t == 0 ? "0" : escape(Results.fmt(max * t / 4))));
    }
    b.append("</svg>\n");
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
