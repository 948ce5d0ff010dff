package dev.guise.validators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.HttpProtocol;
import dev.guise.api.ProbeResponse;
import dev.guise.api.ValidationResult;
import dev.guise.api.ValidationResult.Reason;
import dev.guise.api.spi.ConnectionValidator;
import dev.guise.api.spi.InvalidOptionException;
import dev.guise.api.spi.InvalidOptionException.Problem;
import dev.guise.api.spi.Providers;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The contract every validator keeps, run over every implementation; then each one's own rules. */
class ValidatorContractTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  static Stream<ConnectionValidator> all() {
    return Stream.of(
        new HeadPathValidator(),
        new FullUrlValidator(URI.create("https://example.test/"), StatusRange.DEFAULT),
        new GetLimitedValidator(),
        new H2PingValidator(),
        new TlsAliveValidator());
  }

  @ParameterizedTest
  @MethodSource("all")
  void healthyOnAHealthyConnection(ConnectionValidator v) {
    ValidationResult r = v.validate(new ScriptedTarget(), TIMEOUT);
    assertTrue(r.healthy(), v.name() + ": " + r);
    assertFalse(r.elapsed().isNegative());
  }

  @ParameterizedTest
  @MethodSource("all")
  void aClosedConnectionIsUnhealthyWithoutTraffic(ConnectionValidator v) {
    var t = new ScriptedTarget();
    t.open = false;
    ValidationResult r = v.validate(t, TIMEOUT);
    assertEquals(Reason.CLOSED, r.reason(), v.name());
    assertTrue(t.sent.isEmpty() && t.pings == 0, "no traffic on a closed connection");
  }

  @ParameterizedTest
  @MethodSource("all")
  void timeoutsAreReportedNotThrown(ConnectionValidator v) {
    var t = new ScriptedTarget();
    t.answer =
        (req, timeout) -> {
          throw new SocketTimeoutException("Read timed out");
        };
    t.pingFailure = new SocketTimeoutException("Read timed out");
    ValidationResult r = v.validate(t, TIMEOUT);
    if (v instanceof TlsAliveValidator) {
      assertTrue(r.healthy(), "tls-alive sends nothing, so cannot time out");
    } else {
      assertEquals(Reason.TIMEOUT, r.reason(), v.name());
    }
  }

  @ParameterizedTest
  @MethodSource("all")
  void everyValidatorIsFoundByName(ConnectionValidator v) {
    assertEquals(v.getClass(), Providers.connectionValidator(v.name()).getClass());
  }

  @Test
  void statusOutsideTheRangeIsUnhealthy() {
    var t = new ScriptedTarget();
    t.answer = (req, timeout) -> new ProbeResponse(503, List.of(), new byte[0], false);
    var r = new HeadPathValidator().validate(t, TIMEOUT);
    assertEquals(Reason.STATUS, r.reason());
    assertTrue(r.detail().contains("503"), r.detail());
    var lenient =
        new HeadPathValidator().withOptions(Map.of("status", "200-599", "path", "/health"));
    assertTrue(lenient.validate(t, TIMEOUT).healthy());
    assertEquals("/health", t.sent.get(1).path());
    assertEquals("HEAD", t.sent.get(1).method());
  }

  @Test
  void fullUrlOnAnotherHostIsAConfigurationError() {
    var t = new ScriptedTarget();
    var v = Providers.connectionValidator("full-url:url=https://other.test/ping");
    var r = v.validate(t, TIMEOUT);
    assertEquals(Reason.ERROR, r.reason());
    assertTrue(
        r.detail().contains("configuration error") && r.detail().contains("other.test"),
        r.detail());
    assertTrue(t.sent.isEmpty(), "nothing is sent to check another host");
    var same = Providers.connectionValidator("full-url:url=https://example.test/ping?x=1");
    assertTrue(same.validate(t, TIMEOUT).healthy());
    assertEquals("/ping?x=1", t.sent.get(0).path());
  }

  @Test
  void getLimitedAsksForACappedBody() {
    var t = new ScriptedTarget();
    var v = Providers.connectionValidator("get-limited:path=/big,max-body=100");
    assertTrue(v.validate(t, TIMEOUT).healthy());
    assertEquals("GET", t.sent.get(0).method());
    assertEquals(100, t.sent.get(0).maxBodyBytes());
  }

  @Test
  void pingDoesNotApplyToHttp1() {
    var t = new ScriptedTarget();
    t.protocol = HttpProtocol.HTTP_1_1;
    var r = new H2PingValidator().validate(t, TIMEOUT);
    assertEquals(Reason.NOT_APPLICABLE, r.reason());
    assertEquals(0, t.pings);
  }

  @Test
  void tlsAliveSeesHalfClosedAndOldConnections() {
    var t = new ScriptedTarget();
    t.unexpectedInput = true;
    assertEquals(Reason.CLOSED, new TlsAliveValidator().validate(t, TIMEOUT).reason());
    var old = new ScriptedTarget();
    old.now = old.openedAt.plus(old.maxLifetime);
    assertEquals(Reason.CLOSED, new TlsAliveValidator().validate(old, TIMEOUT).reason());
  }

  @Test
  void unknownOptionsAreRejectedByName() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Providers.connectionValidator("head-path:paht=/x"));
    assertTrue(e.getMessage().contains("paht") && e.getMessage().contains("path"), e.getMessage());
  }

  @Test
  void badOptionValuesNameTheValidatorTheOptionAndWhatIsAccepted() {
    var body =
        assertThrows(
            InvalidOptionException.class,
            () -> Providers.connectionValidator("get-limited:max-body=-1"));
    assertEquals(
        "'get-limited' option 'max-body' = '-1' is not valid; expected a whole number "
            + "of at least 0",
        body.getMessage());
    var status =
        assertThrows(
            InvalidOptionException.class,
            () -> Providers.connectionValidator("head-path:status=2xx"));
    assertEquals("status", status.option());
    assertTrue(status.getMessage().contains("200-299|304"), status.getMessage());
    var path =
        assertThrows(
            InvalidOptionException.class,
            () -> Providers.connectionValidator("get-limited:path=health"));
    assertEquals("path", path.option());
    assertTrue(path.getMessage().contains("starting with '/'"), path.getMessage());
    var noUrl =
        assertThrows(
            InvalidOptionException.class,
            () -> Providers.connectionValidator("full-url:status=200"));
    assertEquals(Problem.MISSING_OPTION, noUrl.problem());
    var plain =
        assertThrows(
            InvalidOptionException.class,
            () -> Providers.connectionValidator("full-url:url=http://example.test/"));
    assertEquals(Problem.BAD_VALUE, plain.problem());
    assertTrue(plain.getMessage().contains("https"), plain.getMessage());
    var none =
        assertThrows(
            InvalidOptionException.class,
            () -> Providers.connectionValidator("h2-ping:timeout=1s"));
    assertEquals("'h2-ping' has no option 'timeout'; it takes no options", none.getMessage());
  }

  @Test
  void aConfiguredFullUrlKeepsItsUrlWhenOnlyTheStatusChanges() {
    var t = new ScriptedTarget();
    t.answer = (req, timeout) -> new ProbeResponse(503, List.of(), new byte[0], false);
    var v =
        new FullUrlValidator(URI.create("https://example.test/up"), StatusRange.DEFAULT)
            .withOptions(Map.of("status", "500-599"));
    assertTrue(v.validate(t, TIMEOUT).healthy());
    assertEquals("/up", t.sent.get(0).path());
  }
}
