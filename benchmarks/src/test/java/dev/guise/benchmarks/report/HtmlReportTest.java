package dev.guise.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code report.html} from the committed full run's measurements, checked as markup and then as
 * pixels: a real headless Chromium (Debian's, installed by .ci/run) takes a screenshot with every
 * host name resolving to nothing, and the screenshot must show the table and Guise's and the peers'
 * bars.
 */
class HtmlReportTest {
  private static final Path MEASUREMENTS = Path.of("results", "full", "measurements.json");

  private static List<Measurement> measured() throws Exception {
    return HtmlReport.fromMeasurementsJson(Files.readString(MEASUREMENTS));
  }

  private static String page() throws Exception {
    List<Measurement> all = measured();
    return HtmlReport.render(all, Results.compare(all), "2 CPUs, test");
  }

  @Test
  void oneChartPerBenchmarkScenarioAndMetricWithABarPerSubject() throws Exception {
    List<Measurement> all = measured();
    String html = page();
    Set<String> groups = new HashSet<>();
    for (Measurement m : all) {
      groups.add(m.label() + "/" + m.metric());
    }
    assertEquals(groups.size(), count(html, "<svg "), "one chart per benchmark and metric");
    long bars = all.stream().filter(m -> !Double.isNaN(m.value())).count();
    assertEquals(bars, count(html, "<rect "), "one bar per measured subject");
    long errorBars = all.stream().filter(m -> m.error() > 0).count();
    assertEquals(errorBars, count(html, "stroke-width=\"1.5\""), "an error bar per known error");
    assertTrue(html.contains("IdleMemory [protocol=h2]: retained.heap.per.connection"), html);
  }

  @Test
  void selfContained() throws Exception {
    String html = page();
    // Nothing fetched: no scripts, stylesheets, images, fonts or frames from anywhere.
    for (String loads : List.of("<script", "<link", "<img", "<iframe", "@import", "url(")) {
      assertFalse(html.contains(loads), "the page loads nothing: " + loads);
    }
    assertFalse(html.contains("http:") || html.contains("https:"), "no address in the page");
  }

  @Test
  void aBarIsAsLongAsItsValueAndItsErrorBarSpansTheError() {
    Measurement guise = new Measurement("B.x", "", "guise", "time", "us/op", 50, 10, false);
    Measurement peer =
        new Measurement("B.x", "", "okhttp", "time", "us/op", 100, Double.NaN, false);
    StringBuilder b = new StringBuilder();
    HtmlReport.chart(b, List.of(guise, peer));
    String svg = b.toString();
    // The scale ends at the largest value (100, no error): the plot is 760 - 210 - 150 = 400 px.
    assertTrue(svg.contains("width=\"200.0\" height=\"14\" fill=\"" + HtmlReport.GUISE_COLOR), svg);
    assertTrue(svg.contains("width=\"400.0\" height=\"14\" fill=\"" + HtmlReport.PEER_COLOR), svg);
    // 50 +- 10 spans 40..60, that is 160..240 px after the 210 px of labels.
    assertTrue(svg.contains("M370.0 9.0H450.0"), svg);
    assertTrue(svg.contains("50.00 \u00b1 10.00"), svg);
    assertEquals(1, count(svg, "stroke-width=\"1.5\""), "no error bar where the error is unknown");
  }

  @Test
  void rendersInHeadlessChromium(@TempDir Path dir) throws Exception {
    Path html = dir.resolve("report.html");
    Files.writeString(html, page(), StandardCharsets.UTF_8);
    Path png = dir.resolve("report.png");
    ProcessBuilder pb =
        new ProcessBuilder(
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                // No name resolves: should the page try to load anything, it cannot.
                "--host-resolver-rules=MAP * ~NOTFOUND",
                "--user-data-dir=" + dir.resolve("profile"),
                "--window-size=1200,1600",
                "--screenshot=" + png,
                html.toUri().toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("chromium.log").toFile());
    Process p = pb.start();
    boolean ended = p.waitFor(90, TimeUnit.SECONDS);
    if (!ended) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String log = Files.readString(dir.resolve("chromium.log"));
    assertTrue(ended, "chromium ended within 90 s: " + log);
    assertEquals(0, p.exitValue(), log);
    File file = png.toFile();
    assertTrue(file.length() > 0, "a screenshot: " + log);

    BufferedImage image = ImageIO.read(file);
    assertEquals(1200, image.getWidth());
    assertEquals(1600, image.getHeight());
    Map<Integer, Integer> colors = new HashMap<>();
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        colors.merge(image.getRGB(x, y) & 0xffffff, 1, Integer::sum);
      }
    }
    // Not blank: text is anti-aliased into many shades, and the first charts (above the table)
    // fill whole areas with both bar colours.
    assertTrue(colors.size() > 50, "distinct colours: " + colors.size());
    int pixels = image.getWidth() * image.getHeight();
    int white = colors.getOrDefault(0xffffff, 0);
    assertTrue(white < pixels * 0.97, "mostly white: " + white + " of " + pixels);
    int guise = colors.getOrDefault(rgb(HtmlReport.GUISE_COLOR), 0);
    int peers = colors.getOrDefault(rgb(HtmlReport.PEER_COLOR), 0);
    assertTrue(guise > 2000, "Guise's bars on screen: " + guise + " px");
    assertTrue(peers > 2000, "the peers' bars on screen: " + peers + " px");
  }

  private static int rgb(String hex) {
    return Integer.parseInt(hex.substring(1), 16);
  }

  private static int count(String s, String what) {
    Matcher m = Pattern.compile(Pattern.quote(what)).matcher(s);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
