package dev.guise.pool.failure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.ClassifiedFailure;
import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.Header;
import dev.guise.api.PoolAction;
import dev.guise.api.ResponseInfo;
import dev.guise.api.TlsEndpoint;
import dev.guise.api.spi.FailureClassifier;
import dev.guise.api.spi.FailureClassifier.ResponseVerdict;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertificateExpiredException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DefaultFailureClassifierTest {
  private static final TlsEndpoint EP =
      new TlsEndpoint("example.test", InetAddress.getLoopbackAddress(), 443);
  private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
  private final DefaultFailureClassifier classifier =
      new DefaultFailureClassifier(Set.of(403), Set.of(429), Clock.fixed(NOW, ZoneOffset.UTC));

  private ClassifiedFailure of(Throwable t) {
    return classifier.classify(t, EP).orElseThrow();
  }

  @Test
  void mapsJdkExceptions() {
    assertEquals(FailureKind.UNKNOWN_HOST, of(new UnknownHostException("x")).kind());
    var refused = of(new ConnectException("Connection refused"));
    assertEquals(FailureKind.CONNECTION_REFUSED, refused.kind());
    assertEquals(PoolAction.PENALISE_IP, refused.action());
    assertEquals(
        FailureKind.CONNECT_TIMEOUT, of(new SocketTimeoutException("Connect timed out")).kind());
    assertEquals(FailureKind.READ_TIMEOUT, of(new SocketTimeoutException("Read timed out")).kind());
    assertEquals(FailureKind.CONNECTION_RESET, of(new SocketException("Connection reset")).kind());
    assertEquals(FailureKind.CONNECTION_CLOSED, of(new EOFException()).kind());
    assertEquals(FailureKind.UNKNOWN, of(new IllegalStateException("odd")).kind());
  }

  @Test
  void certificateProblemsAreNotRetried() {
    var e = new SSLHandshakeException("PKIX path validation failed");
    e.initCause(new CertificateExpiredException("NotAfter: 2020"));
    var f = of(e);
    assertEquals(FailureKind.CERTIFICATE, f.kind());
    assertFalse(f.retryable());
    var alert = of(new SSLHandshakeException("Received fatal alert: handshake_failure"));
    assertEquals(FailureKind.TLS_HANDSHAKE, alert.kind());
  }

  @Test
  void keepsAnExistingClassificationAnywhereInTheCauseChain() {
    var inner =
        new ClassifiedIOException(FailureKind.NOT_PROCESSED, true, PoolAction.KEEP, "goaway", null);
    var f = of(new IOException("wrapped", inner));
    assertEquals(FailureKind.NOT_PROCESSED, f.kind());
  }

  private ResponseVerdict status(int status, Header... headers) {
    return classifier.classify(new ResponseInfo(status, List.of(headers), EP));
  }

  @ParameterizedTest
  @CsvSource({
    "200, ACCEPT, , ",
    "404, ACCEPT, , ",
    "403, IP_BLOCKED, true, BAN_IP",
    "429, RATE_LIMITED, true, PENALISE_IP",
    "500, SERVER_ERROR, false, KEEP",
    "502, SERVER_ERROR, true, KEEP",
    "503, SERVER_ERROR, true, KEEP",
    "504, SERVER_ERROR, true, KEEP"
  })
  void mapsStatuses(int code, String kind, Boolean retryable, PoolAction action) {
    ResponseVerdict v = status(code);
    if (kind.equals("ACCEPT")) {
      assertInstanceOf(ResponseVerdict.Accept.class, v);
      return;
    }
    var f = ((ResponseVerdict.Fail) v).failure();
    assertEquals(FailureKind.valueOf(kind), f.kind());
    assertEquals(retryable, f.retryable());
    assertEquals(action, f.action());
    assertEquals(code, f.status().getAsInt());
  }

  @Test
  void readsRetryAfterInSecondsAndAsADate() {
    var secs = ((ResponseVerdict.Fail) status(429, new Header("Retry-After", "7"))).failure();
    assertEquals(Optional.of(Duration.ofSeconds(7)), secs.retryAfter());
    var date =
        ((ResponseVerdict.Fail)
                status(503, new Header("retry-after", "Sat, 21 Nov 2026 12:00:30 GMT")))
            .failure();
    assertEquals(FailureKind.RATE_LIMITED, date.kind());
    assertEquals(Optional.of(Duration.ofSeconds(30)), date.retryAfter());
    var junk = ((ResponseVerdict.Fail) status(429, new Header("retry-after", "soon"))).failure();
    assertEquals(Optional.empty(), junk.retryAfter());
  }

  @Test
  void optionsChangeWhichStatusesBan() {
    FailureClassifier custom = classifier.withOptions(Map.of("ban-statuses", "403|451"));
    var v = custom.classify(new ResponseInfo(451, List.of(), EP));
    assertEquals(FailureKind.IP_BLOCKED, ((ResponseVerdict.Fail) v).failure().kind());
  }

  /** A site may answer a blocked IP with a redirect to its block page: any status can be named. */
  @Test
  void statusesBelow400CanBanOrRateLimitToo() {
    FailureClassifier custom =
        classifier.withOptions(Map.of("ban-statuses", "302", "rate-limit-statuses", "202"));
    var ban = ((ResponseVerdict.Fail) custom.classify(new ResponseInfo(302, List.of(), EP)));
    assertEquals(FailureKind.IP_BLOCKED, ban.failure().kind());
    var limited =
        ((ResponseVerdict.Fail)
            custom.classify(new ResponseInfo(202, List.of(new Header("retry-after", "3")), EP)));
    assertEquals(FailureKind.RATE_LIMITED, limited.failure().kind());
    assertEquals(Optional.of(Duration.ofSeconds(3)), limited.failure().retryAfter());
    assertInstanceOf(
        ResponseVerdict.Accept.class, custom.classify(new ResponseInfo(200, List.of(), EP)));
  }

  @Test
  void aCustomClassifierFirstInAChainWins() {
    FailureClassifier captchaIsABan =
        new FailureClassifier() {
          @Override
          public String name() {
            return "captcha";
          }

          @Override
          public Optional<ClassifiedFailure> classify(Throwable error, TlsEndpoint endpoint) {
            return Optional.empty();
          }

          @Override
          public ResponseVerdict classify(ResponseInfo r) {
            return r.header("x-captcha").isPresent()
                ? ResponseVerdict.fail(
                    ClassifiedFailure.ofStatus(
                        FailureKind.IP_BLOCKED,
                        true,
                        PoolAction.BAN_IP,
                        r.status(),
                        Optional.empty(),
                        "captcha"))
                : ResponseVerdict.defer();
          }
        };
    FailureClassifier chain = FailureClassifier.chain(List.of(captchaIsABan, classifier));
    assertEquals("captcha>default", chain.name());
    var blocked = chain.classify(new ResponseInfo(200, List.of(new Header("x-captcha", "1")), EP));
    assertEquals(FailureKind.IP_BLOCKED, ((ResponseVerdict.Fail) blocked).failure().kind());
    assertInstanceOf(
        ResponseVerdict.Accept.class, chain.classify(new ResponseInfo(200, List.of(), EP)));
    assertTrue(chain.classify(new EOFException(), EP).isPresent());
  }
}
