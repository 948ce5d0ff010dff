package dev.guise.cli.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.cli.internal.FetchPlan.PlannedRequest;
import dev.guise.cli.internal.FetchPlan.Settings;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code guise fetch}'s words to a plan: which option lands on which URL, and every refusal. */
class FetchPlanParserTest {
  @TempDir Path dir;

  private static FetchPlan parse(String line) {
    return FetchPlanParser.parse(words(line));
  }

  /** Words split on spaces; '~' stands for a space inside a word. */
  private static List<String> words(String line) {
    return Arrays.stream(line.split(" ")).map(w -> w.replace('~', ' ')).toList();
  }

  static Stream<Arguments> plans() {
    return Stream.of(
        Arguments.of("https://h/a", List.of("GET https://h/a")),
        Arguments.of("https://h/a https://h/b", List.of("GET https://h/a", "GET https://h/b")),
        // options before the first URL apply to it; so do options after it, in its group
        Arguments.of("-X PUT https://h/a", List.of("PUT https://h/a")),
        Arguments.of("https://h/a -X put", List.of("PUT https://h/a")),
        Arguments.of("-XDELETE https://h/a", List.of("DELETE https://h/a")),
        Arguments.of("--method=PATCH https://h/a", List.of("PATCH https://h/a")),
        // --data makes a POST with curl's form content type, unless -X or a header says otherwise
        Arguments.of("-d a=1 https://h/a", List.of("POST https://h/a header=content-type body=3")),
        Arguments.of(
            "-d a=1 -d b=2 -X PUT -H content-type:~text/plain https://h/a",
            List.of("PUT https://h/a header=content-type body=7")),
        // a group's request options hold for each of its URLs, and reset after --next
        Arguments.of(
            "-H x-a:~1 https://h/a https://h/b --next https://h/c",
            List.of("GET https://h/a header=x-a", "GET https://h/b header=x-a", "GET https://h/c")),
        Arguments.of(
            "https://h/a --next --dest style https://h/s.css --next -X POST --data {} "
                + "--header content-type:~application/json https://h/api",
            List.of(
                "GET https://h/a",
                "GET https://h/s.css dest=style",
                "POST https://h/api header=content-type body=2")),
        // each -o goes to the next URL of its group
        Arguments.of(
            "-o one https://h/a -o two https://h/b https://h/c",
            List.of("GET https://h/a output=one", "GET https://h/b output=two", "GET https://h/c")),
        Arguments.of("-si https://h/a", List.of("GET https://h/a")),
        Arguments.of("-- https://h/-a", List.of("GET https://h/-a")));
  }

  @ParameterizedTest
  @MethodSource("plans")
  void requestsLandOnTheirUrls(String line, List<String> expected) {
    assertEquals(
        expected, parse(line).requests().stream().map(PlannedRequest::toString).toList(), line);
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of("", "missing URL"),
        Arguments.of("-X POST", "missing URL"),
        Arguments.of("https://h/a --next", "missing URL after the last --next"),
        Arguments.of("--next https://h/a", "--next must follow a URL"),
        Arguments.of("--bogus https://h/a", "unknown option '--bogus'"),
        Arguments.of("-sZ https://h/a", "unknown option '-Z' in '-sZ'"),
        Arguments.of("https://h/a -o", "option '-o' needs a value"),
        Arguments.of("--include=yes https://h/a", "option '--include' takes no value"),
        Arguments.of("http://h/a", "URL must be https://host[:port]/path"),
        Arguments.of("https://h/a --next --engine jdk https://h/b", "'--engine' holds for the"),
        Arguments.of("--engine jdk --engine bc https://h/a", "'--engine' given more than once"),
        Arguments.of("-X GET -X PUT https://h/a", "'-X' given more than once for one URL"),
        Arguments.of("-X GET -d x https://h/a", "GET requests carry no body"),
        Arguments.of("-X P@ST https://h/a", "not an HTTP method"),
        Arguments.of("-H nocolon https://h/a", "-H takes 'Name: value'"),
        Arguments.of("-H :path:~/x https://h/a", "pseudo-headers are set by Guise"),
        Arguments.of("--dest video https://h/a", "--dest takes one of document, style"),
        Arguments.of("-o a -o b https://h/a", "2 -o for 1 URL(s)"),
        Arguments.of("--resolve h:443 https://h/a", "--resolve takes HOST:PORT:ADDR"),
        Arguments.of("--resolve h:x:127.0.0.1 https://h/a", "the port is not a number"),
        Arguments.of("--resolve h:0:127.0.0.1 https://h/a", "the port must be 1..65535"),
        Arguments.of("--resolve h:443:example.org https://h/a", "'example.org' is not an IP"),
        Arguments.of("--connect-to example.org https://h/a", "--connect-to takes an IP address"),
        Arguments.of("--timeout 0 https://h/a", "--timeout must be a number of seconds above 0"),
        Arguments.of("--timeout soon https://h/a", "--timeout takes a number of seconds"),
        Arguments.of("-w %{nope} https://h/a", "-w: unknown variable '%{nope}'; known: http_code"),
        Arguments.of("-w %{http_code https://h/a", "without a closing '}'"),
        Arguments.of("-d @/no/such/file https://h/a", "-d: no such file: /no/such/file"));
  }

  @ParameterizedTest
  @MethodSource("refusals")
  void badWordsAreUsageErrorsNamingThem(String line, String message) {
    List<String> words = line.isEmpty() ? List.of() : words(line);
    CliException e = assertThrows(CliException.class, () -> FetchPlanParser.parse(words), line);
    assertEquals(CliException.USAGE, e.exitCode());
    assertTrue(e.getMessage().contains(message), line + " -> " + e.getMessage());
    assertTrue(e.getMessage().endsWith("; see 'guise fetch --help'"), e.getMessage());
  }

  @Test
  void globalOptionsAnywhereInTheFirstGroup() throws Exception {
    FetchPlan plan =
        parse(
            "--engine jdk https://h/a --profile firefox -L -b in.txt -c out.txt --resolve "
                + "h:443:127.0.1.1,127.0.1.2 --resolve g:8443:[::1] -m 2.5 -sSif --fail-early "
                + "--compressed --http1.1 -w %{http_code}\\n --next https://g:8443/b");
    Settings s = plan.settings();
    assertEquals("jdk", s.engine().orElseThrow());
    assertEquals("firefox", s.profile().orElseThrow());
    assertTrue(s.follow() && s.silent() && s.showError() && s.includeHead() && s.fail());
    assertTrue(s.failEarly() && s.http1());
    assertFalse(s.verbose());
    assertEquals(Path.of("in.txt"), s.cookieFile().orElseThrow());
    assertEquals(Path.of("out.txt"), s.cookieJar().orElseThrow());
    assertEquals(Duration.ofMillis(2500), s.timeout());
    assertEquals(2, s.resolves().size());
    assertEquals("h", s.resolves().get(0).host());
    assertEquals(443, s.resolves().get(0).port());
    assertEquals(
        List.of(InetAddress.getByName("127.0.1.1"), InetAddress.getByName("127.0.1.2")),
        s.resolves().get(0).addresses());
    assertEquals(List.of(InetAddress.getByName("::1")), s.resolves().get(1).addresses());
    assertEquals("200\n", s.writeOut().orElseThrow().render(v -> "200"));
    assertTrue(s.follow());
    assertTrue(s.cookieFile().isPresent() && s.cookieJar().isPresent());
  }

  @Test
  void defaults() {
    FetchPlan plan = parse("https://h/a");
    Settings s = plan.settings();
    assertEquals(Duration.ofSeconds(30), s.timeout());
    assertTrue(s.showErrors());
    assertTrue(s.writeOut().isEmpty() && s.resolves().isEmpty() && s.connectTo().isEmpty());
    assertFalse(s.follow(), "redirects are not followed unless asked, as in curl");
    assertTrue(s.cookieFile().isEmpty() && s.cookieJar().isEmpty());
    assertEquals(
        List.of("document", "script"),
        parse("https://h/a --next --dest script https://h/b").requests().stream()
            .map(PlannedRequest::dest)
            .toList());
  }

  @Test
  void dataFromFilesAsCurlReadsThem() throws Exception {
    Path file = dir.resolve("body.txt");
    Files.write(file, "a=1\r\nb=2\n".getBytes(StandardCharsets.UTF_8));
    PlannedRequest form = parse("-d @" + file + " -d c=3 https://h/a").requests().get(0);
    assertArrayEquals(
        "a=1b=2&c=3".getBytes(StandardCharsets.UTF_8),
        form.bodyBytes().orElseThrow(),
        "--data drops newlines and joins pieces with &");
    PlannedRequest binary = parse("--data-binary @" + file + " https://h/a").requests().get(0);
    assertArrayEquals(Files.readAllBytes(file), binary.bodyBytes().orElseThrow());
    assertEquals("POST", binary.method());
  }

  @Test
  void writeOutFormats() {
    WriteOut w = WriteOut.parse("%{http_code} %% %{time_total}\\t\\\\x\\q");
    assertEquals("404 % 0.5\t\\x\\q", w.render(v -> v.equals("http_code") ? "404" : "0.5"));
    assertEquals("plain", WriteOut.parse("plain").render(v -> "never"));
  }
}
