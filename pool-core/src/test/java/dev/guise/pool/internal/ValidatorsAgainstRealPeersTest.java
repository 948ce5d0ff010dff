package dev.guise.pool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.HttpProtocol;
import dev.guise.api.TlsEndpoint;
import dev.guise.api.ValidationResult;
import dev.guise.api.ValidationResult.Reason;
import dev.guise.api.spi.ConnectionValidator;
import dev.guise.api.spi.Providers;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.internal.exchange.HttpConnection;
import dev.guise.pool.internal.exchange.HttpConnection.ExchangeLimits;
import dev.guise.testkit.Fault;
import dev.guise.testkit.FaultScope;
import dev.guise.testkit.TestServer;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The validator strategies over real pooled connections (JDK engine, verification on) to the
 * testkit server, healthy and with the server's faults: 403, 5xx, a slow answer, a connection the
 * server closed, a body larger than the cap, a reset.
 */
class ValidatorsAgainstRealPeersTest {
  private static final String HOST = "www.validate.test";
  private static final Duration TIMEOUT = Duration.ofMillis(700);
  private TestServer server;
  private HttpConnection connection;

  @AfterEach
  void close() {
    if (connection != null) {
      connection.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private ConnectionProbe open(HttpProtocol protocol) throws Exception {
    server =
        TestServer.builder()
            .loopbackAddresses(1)
            .hostNames(HOST)
            .alpn(protocol == HttpProtocol.HTTP_2 ? "h2" : "http/1.1")
            .build()
            .start();
    PoolConfig config =
        PoolConfig.builder()
            .engine("jdk")
            .trust(server.certificateAuthority().trustPolicy())
            .build();
    TlsEndpoint endpoint = new TlsEndpoint(HOST, server.addresses().get(0), server.port());
    connection =
        new DefaultConnectionFactory(config)
            .open(endpoint, "jdk-default", System.nanoTime() + Duration.ofSeconds(10).toNanos());
    assertEquals(protocol, connection.protocol());
    Route route = new Route(new HostKey(HOST, server.port()), endpoint.ip());
    PooledConnection pooled =
        new PooledConnection(1, route, connection, "jdk-default", Clock.systemUTC().millis());
    return new ConnectionProbe(pooled, Clock.systemUTC(), config);
  }

  private static ValidationResult check(String spec, ConnectionProbe probe) {
    ConnectionValidator v = Providers.connectionValidator(spec);
    long start = System.nanoTime();
    ValidationResult r = v.validate(probe, TIMEOUT);
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertTrue(
        tookMs < TIMEOUT.toMillis() + 1500, spec + " took " + tookMs + " ms, past its timeout");
    return r;
  }

  @ParameterizedTest
  @EnumSource(HttpProtocol.class)
  void everyApplicableValidatorPassesAHealthyConnection(HttpProtocol protocol) throws Exception {
    ConnectionProbe probe = open(protocol);
    String url = "https://" + HOST + ":" + server.port() + "/";
    for (String spec :
        new String[] {"head-path", "full-url:url=" + url, "get-limited", "tls-alive", "h2-ping"}) {
      ValidationResult r = check(spec, probe);
      if (spec.equals("h2-ping") && protocol == HttpProtocol.HTTP_1_1) {
        assertEquals(Reason.NOT_APPLICABLE, r.reason());
      } else {
        assertTrue(r.healthy(), spec + " over " + protocol + ": " + r);
      }
    }
    assertEquals(
        3,
        server.requestsReceived(),
        "head-path, full-url and get-limited each sent one request; ping and tls-alive none");
  }

  @ParameterizedTest
  @CsvSource({"HTTP_2, 403", "HTTP_1_1, 403", "HTTP_2, 503", "HTTP_1_1, 500"})
  void aStatusOutsideTheRangeIsUnhealthy(HttpProtocol protocol, int status) throws Exception {
    ConnectionProbe probe = open(protocol);
    server.faults().add(FaultScope.everywhere(), Fault.status(status));
    ValidationResult r = check("head-path:path=/health", probe);
    assertEquals(Reason.STATUS, r.reason(), r.toString());
    assertTrue(r.detail().contains(String.valueOf(status)), r.detail());
  }

  @ParameterizedTest
  @EnumSource(HttpProtocol.class)
  void aSlowAnswerTimesOutAtTheValidationTimeout(HttpProtocol protocol) throws Exception {
    ConnectionProbe probe = open(protocol);
    ValidationResult r = check("get-limited:path=/slow/5000", probe);
    assertEquals(Reason.TIMEOUT, r.reason(), r.toString());
  }

  @ParameterizedTest
  @EnumSource(HttpProtocol.class)
  void aConnectionTheServerClosedIsUnhealthy(HttpProtocol protocol) throws Exception {
    ConnectionProbe probe = open(protocol);
    server.down();
    long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    while (System.nanoTime() < until && probe.isOpen() && !probe.hasUnexpectedInput()) {
      Thread.sleep(20); // the close reaches the client asynchronously
    }
    for (String spec : new String[] {"tls-alive", "head-path"}) {
      ValidationResult r = check(spec, probe);
      assertTrue(
          !r.healthy() && Set.of(Reason.CLOSED, Reason.ERROR).contains(r.reason()),
          spec + " over " + protocol + ": " + r);
    }
  }

  @ParameterizedTest
  @EnumSource(HttpProtocol.class)
  void aBodyOverTheCapLeavesNoHalfReadResponse(HttpProtocol protocol) throws Exception {
    ConnectionProbe probe = open(protocol);
    ValidationResult r = check("get-limited:path=/bytes/200000,max-body=100", probe);
    assertTrue(r.healthy(), r.toString());
    // Whatever the validator did with the rest of the body, the connection is either clean for
    // the next exchange or marked unusable; it never answers the next request with old bytes.
    if (connection.isUsable()) {
      String url = "https://" + HOST + ":" + server.port() + "/bytes/10";
      var next =
          connection.exchange(
              HttpRequest.get(url),
              ExchangeLimits.DEFAULT,
              System.nanoTime() + Duration.ofSeconds(5).toNanos());
      assertEquals(200, next.status());
      assertEquals(10, next.body().length);
    }
  }

  @ParameterizedTest
  @EnumSource(HttpProtocol.class)
  void aResetIsUnhealthy(HttpProtocol protocol) throws Exception {
    ConnectionProbe probe = open(protocol);
    server.faults().add(FaultScope.path("/bytes"), Fault.reset(10));
    ValidationResult r = check("get-limited:path=/bytes/100000,max-body=1000000", probe);
    assertTrue(
        !r.healthy() && Set.of(Reason.CLOSED, Reason.ERROR, Reason.PROTOCOL).contains(r.reason()),
        r.toString());
  }

  @Test
  void pingMeasuresARoundTrip() throws Exception {
    ConnectionProbe probe = open(HttpProtocol.HTTP_2);
    ValidationResult r = check("h2-ping", probe);
    assertTrue(r.healthy() && r.detail().startsWith("PING answered"), r.toString());
    assertEquals(0, server.requestsReceived());
  }
}
