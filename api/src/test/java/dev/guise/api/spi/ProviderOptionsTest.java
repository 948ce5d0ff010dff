package dev.guise.api.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.spi.InvalidOptionException.Problem;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The one options reader: every type's good and bad values, then the spec syntax around it. */
class ProviderOptionsTest {
  private static final String KEY = "opt";

  /** One value read by one getter: what it gives, or (expected null) that it is refused. */
  record Case(
      String type,
      String value,
      Function<ProviderOptions, Object> getter,
      Object expected,
      String accepted) {
    @Override
    public String toString() {
      return type + " '" + value + "' -> " + (expected == null ? "refused" : expected);
    }
  }

  private static Case good(
      String type, String value, Function<ProviderOptions, Object> getter, Object expected) {
    return new Case(type, value, getter, expected, null);
  }

  private static Case bad(
      String type, String value, Function<ProviderOptions, Object> getter, String accepted) {
    return new Case(type, value, getter, null, accepted);
  }

  static Stream<Case> cases() {
    Function<ProviderOptions, Object> duration = o -> o.getDuration(KEY, Duration.ZERO);
    Function<ProviderOptions, Object> bounded =
        o -> o.getDuration(KEY, Duration.ZERO, Duration.ofMillis(1), Duration.ofHours(1));
    Function<ProviderOptions, Object> percent = o -> o.getInt(KEY, 0, 0, 100);
    Function<ProviderOptions, Object> signed = o -> o.getInt(KEY, 0, -5, 5);
    Function<ProviderOptions, Object> natural = o -> o.getInt(KEY, 0, 0, Integer.MAX_VALUE);
    Function<ProviderOptions, Object> bytes = o -> o.getLong(KEY, 0, 0, Long.MAX_VALUE);
    Function<ProviderOptions, Object> factor = o -> o.getDouble(KEY, 1, 1.0, 100.0);
    Function<ProviderOptions, Object> flag = o -> o.getBoolean(KEY, false);
    Function<ProviderOptions, Object> list = o -> o.getList(KEY, List.of("x"));
    Function<ProviderOptions, Object> statuses = o -> o.getIntList(KEY, List.of(), 100, 599);
    Function<ProviderOptions, Object> string = o -> o.getString(KEY, "x");
    Function<ProviderOptions, Object> url = o -> o.get(KEY, null, URI::create, "a URL");
    String durations = "a duration such as 250ms, 2s, 1m, 1h or PT2S";
    return Stream.of(
        good("duration", "250ms", duration, Duration.ofMillis(250)),
        good("duration", "2s", duration, Duration.ofSeconds(2)),
        good("duration", "1m", duration, Duration.ofMinutes(1)),
        good("duration", "1h", duration, Duration.ofHours(1)),
        good("duration", "PT2S", duration, Duration.ofSeconds(2)),
        good("duration", "pt1.5s", duration, Duration.ofMillis(1500)),
        good("duration", "P1D", duration, Duration.ofDays(1)),
        good("duration", "250", duration, Duration.ofMillis(250)),
        good("duration", "0", duration, Duration.ZERO),
        good("duration", " 2s ", duration, Duration.ofSeconds(2)),
        good("duration", "1ms", bounded, Duration.ofMillis(1)),
        good("duration", "60m", bounded, Duration.ofHours(1)),
        bad(
            "duration",
            "soon",
            duration,
            durations + " (a bare number is milliseconds), at least 0ms"),
        bad("duration", "", duration, durations),
        bad("duration", "2 s", duration, durations),
        bad("duration", "1.5s", duration, durations),
        bad("duration", "2d", duration, durations),
        bad("duration", "2S", duration, durations),
        bad("duration", "ms", duration, durations),
        bad("duration", "-1s", duration, durations),
        bad("duration", "PT-1S", duration, "at least 0ms"),
        bad("duration", "PTxS", duration, durations),
        bad("duration", "99999999999999999h", duration, durations),
        bad("duration", "99999999999999999999", duration, durations),
        bad("duration", "0", bounded, "from 1ms to 1h"),
        bad("duration", "61m", bounded, "from 1ms to 1h"),
        good("int", "4", percent, 4),
        good("int", "0", percent, 0),
        good("int", "100", percent, 100),
        good("int", "+5", signed, 5),
        good("int", "-5", signed, -5),
        good("int", " 7 ", natural, 7),
        bad("int", "101", percent, "a whole number from 0 to 100"),
        bad("int", "-1", percent, "a whole number from 0 to 100"),
        bad("int", "4.0", percent, "a whole number from 0 to 100"),
        bad("int", "4k", percent, "a whole number"),
        bad("int", "", percent, "a whole number"),
        bad("int", "0x10", percent, "a whole number"),
        bad("int", "-6", signed, "a whole number from -5 to 5"),
        bad("int", "-1", natural, "a whole number of at least 0"),
        bad("int", "2147483648", natural, "a whole number of at least 0"),
        good("long", "9000000000", bytes, 9_000_000_000L),
        bad("long", "9223372036854775808", bytes, "a whole number of at least 0"),
        bad("long", "1e3", bytes, "a whole number of at least 0"),
        good("double", "1.5", factor, 1.5),
        good("double", "2", factor, 2.0),
        good("double", "2e1", factor, 20.0),
        good("double", "100.0", factor, 100.0),
        bad("double", "0.5", factor, "a number from 1.0 to 100.0"),
        bad("double", "100.5", factor, "a number from 1.0 to 100.0"),
        bad("double", "NaN", factor, "a number from 1.0 to 100.0"),
        bad("double", "Infinity", factor, "a number"),
        bad("double", "2d", factor, "a number"),
        bad("double", "1e999", factor, "a number"),
        bad("double", "", factor, "a number"),
        good("boolean", "true", flag, true),
        good("boolean", "FALSE", flag, false),
        bad("boolean", "yes", flag, "true or false"),
        bad("boolean", "1", flag, "true or false"),
        bad("boolean", "", flag, "true or false"),
        good("list", "a|b", list, List.of("a", "b")),
        good("list", " a | b ", list, List.of("a", "b")),
        good("list", "a", list, List.of("a")),
        good("list", "", list, List.of()),
        bad("list", "a||b", list, "items separated by '|'"),
        bad("list", "a|", list, "items separated by '|'"),
        good("int list", "403|451", statuses, List.of(403, 451)),
        good("int list", "", statuses, List.of()),
        bad(
            "int list",
            "403|abc",
            statuses,
            "whole numbers from 100 to 599 separated by '|', such as 100|599"),
        bad("int list", "99", statuses, "whole numbers from 100 to 599"),
        bad("int list", "403,451", statuses, "whole numbers from 100 to 599"),
        good("string", "/health", string, "/health"),
        good("string", "", string, ""),
        good("custom", "https://h.test/a?b=c", url, URI.create("https://h.test/a?b=c")),
        bad("custom", "https://h.test/a b", url, "a URL"));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void readsGoodValuesAndRefusesBadOnesNamingEverything(Case c) {
    ProviderOptions o = ProviderOptions.read("prov", Map.of(KEY, c.value()), KEY);
    if (c.expected() != null) {
      assertEquals(c.expected(), c.getter().apply(o));
      return;
    }
    var e = assertThrows(InvalidOptionException.class, () -> c.getter().apply(o));
    assertEquals(Problem.BAD_VALUE, e.problem());
    assertEquals("prov", e.provider());
    assertEquals(KEY, e.option());
    assertEquals(Optional.of(c.value().trim()), e.value());
    assertTrue(e.accepted().contains(c.accepted()), e.accepted());
    assertTrue(
        e.getMessage().startsWith("'prov' option 'opt' = '" + c.value().trim() + "'"),
        e.getMessage());
    assertTrue(e.getMessage().contains(c.accepted()), e.getMessage());
  }

  @Test
  void absentOptionsGiveTheFallbackUnchecked() {
    ProviderOptions o = ProviderOptions.read("prov", Map.of(), "a");
    assertEquals(-7, o.getInt("a", -7, 0, 10));
    assertEquals(
        Duration.ofDays(400),
        o.getDuration("a", Duration.ofDays(400), Duration.ZERO, Duration.ofHours(1)));
    assertEquals(List.of(1), o.getIntList("a", List.of(1), 100, 599));
    assertEquals(Optional.empty(), o.getString("a"));
    assertEquals(false, o.has("a"));
    Object fallback = new Object();
    assertSame(fallback, o.get("a", fallback, s -> new Object(), "anything"));
  }

  @Test
  void unknownOptionsAreRefusedNamingTheKnownOnes() {
    var e =
        assertThrows(
            InvalidOptionException.class,
            () -> ProviderOptions.read("linear", Map.of("stepp", "1s"), "step", "max-retries"));
    assertEquals(Problem.UNKNOWN_OPTION, e.problem());
    assertEquals("stepp", e.option());
    assertEquals(
        "'linear' has no option 'stepp'; known options: [max-retries, step]", e.getMessage());
    var none =
        assertThrows(
            InvalidOptionException.class, () -> ProviderOptions.read("never", Map.of("x", "1")));
    assertEquals("'never' has no option 'x'; it takes no options", none.getMessage());
    var first =
        assertThrows(
            InvalidOptionException.class,
            () -> ProviderOptions.read("p", Map.of("zz", "1", "aa", "1", "k", "1"), "k"));
    assertEquals("aa", first.option(), "the first unknown option in sorted order, every run");
  }

  @Test
  void aRequiredOptionMissingIsItsOwnProblem() {
    ProviderOptions o = ProviderOptions.read("full-url", Map.of(), "url");
    var e =
        assertThrows(
            InvalidOptionException.class,
            () -> o.getRequired("url", URI::create, "an https URL such as https://host/path"));
    assertEquals(Problem.MISSING_OPTION, e.problem());
    assertEquals(Optional.empty(), e.value());
    assertEquals(
        "'full-url' needs the option 'url': an https URL such as https://host/path",
        e.getMessage());
    ProviderOptions given =
        ProviderOptions.read("full-url", Map.of("url", "https://a.test/"), "url");
    assertEquals(URI.create("https://a.test/"), given.getRequired("url", URI::create, "a URL"));
  }

  @Test
  void providersReportChecksOfTheirOwnInTheSameShape() {
    ProviderOptions o = ProviderOptions.read("exponential", Map.of("cap", "1s"), "cap");
    InvalidOptionException e = o.invalid("cap", "a duration not below base (2s)");
    assertEquals(Problem.BAD_VALUE, e.problem());
    assertEquals(
        "'exponential' option 'cap' = '1s' is not valid; expected a duration not below "
            + "base (2s)",
        e.getMessage());
  }

  @Test
  void aParserFailureIsKeptAsTheCause() {
    ProviderOptions o = ProviderOptions.read("p", Map.of("n", "x"), "n");
    var e =
        assertThrows(
            InvalidOptionException.class, () -> o.get("n", 0, Integer::parseInt, "a number"));
    assertInstanceOf(NumberFormatException.class, e.getCause());
  }

  @Test
  void theSpecSyntaxSplitsPairsAtCommasOnly() {
    assertEquals(
        List.of("path", "status"),
        List.copyOf(ProviderOptions.parse("p", "path=/a,status=200-299").keySet()));
    assertEquals(
        Map.of("url", "https://h.test:8443/a?b=c"),
        ProviderOptions.parse("full-url", "url=https://h.test:8443/a?b=c"));
    assertEquals(Map.of("a", "1", "b", "x|y"), ProviderOptions.parse("p", " a = 1 ,, b=x|y,"));
    assertEquals(Map.of("a", ""), ProviderOptions.parse("p", "a="));
    assertEquals(Map.of(), ProviderOptions.parse("p", ""));
  }

  @Test
  void malformedSpecsNameTheProviderAndThePiece() {
    var noEquals =
        assertThrows(
            InvalidOptionException.class, () -> Providers.Spec.parse("head-path:path=/a,foo"));
    assertEquals(Problem.MALFORMED, noEquals.problem());
    assertEquals("head-path", noEquals.provider());
    assertEquals("foo", noEquals.option());
    assertTrue(noEquals.getMessage().contains("key=value"), noEquals.getMessage());
    var noKey = assertThrows(InvalidOptionException.class, () -> Providers.Spec.parse("p:=1"));
    assertEquals("=1", noKey.option());
    var twice =
        assertThrows(InvalidOptionException.class, () -> Providers.Spec.parse("p:a=1, a=2"));
    assertEquals("a", twice.option());
    assertTrue(twice.getMessage().contains("given twice"), twice.getMessage());
    assertEquals(new Providers.Spec("p", Map.of()), Providers.Spec.parse(" p "));
  }

  @Test
  void parseDurationIsTheSameSyntaxStandingAlone() {
    assertEquals(Duration.ofMillis(500), ProviderOptions.parseDuration("500"));
    assertEquals(Duration.ofMinutes(90), ProviderOptions.parseDuration("PT1H30M"));
    var e =
        assertThrows(IllegalArgumentException.class, () -> ProviderOptions.parseDuration("soon"));
    assertTrue(e.getMessage().contains(ProviderOptions.DURATION_SYNTAX), e.getMessage());
  }
}
