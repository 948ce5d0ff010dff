package dev.guise.pool;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.ClassifiedFailure;
import dev.guise.api.TlsEndpoint;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.proxy.Proxy;
import dev.guise.pool.proxy.ProxyRouting;
import dev.guise.pool.stats.PoolEventListener;
import dev.guise.testing.SocksProxy;
import dev.guise.testing.SquidProxy;
import dev.guise.testkit.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/**
 * Proxy passwords never show: requests through proxies that take them, turn them down, and are
 * dead, with every event the pool emits, its JFR events, its stats, every exception with its stack
 * trace and causes, and everything printed (logs) scanned for the passwords, in clear, percent- or
 * Base64-encoded.
 */
class ProxyCredentialsLeakTest {
  private static final String HOST = "www.proxy.test";
  private static final String GOOD = "Right-Pa55word-7d1f";
  private static final String BAD = "Wrong-Pa55word-94ce";

  @Test
  void noPasswordInLogsExceptionsEventsJfrOrStats() throws Exception {
    StringBuilder seen = new StringBuilder();
    ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
    // Every event the listener interface has, each argument as the event gives it.
    PoolEventListener listener =
        new PoolEventListener() {
          @Override
          public void connectionOpened(TlsEndpoint endpoint, String profile, Duration handshake) {
            events.add("opened " + endpoint + " " + profile + " " + handshake);
          }

          @Override
          public void connectionFailed(
              TlsEndpoint endpoint, ClassifiedFailure failure, Duration took) {
            events.add("failed " + endpoint + " " + failure + " " + failure.cause());
          }

          @Override
          public void connectionClosed(TlsEndpoint endpoint, String reason) {
            events.add("closed " + endpoint + " " + reason);
          }

          @Override
          public void requestCompleted(
              TlsEndpoint endpoint, int status, Duration took, boolean reusedConnection) {
            events.add("completed " + endpoint + " " + status);
          }

          @Override
          public void requestFailed(
              String host, ClassifiedFailure failure, int attempts, Duration took) {
            events.add("request failed " + host + " " + failure + " " + failure.cause());
          }

          @Override
          public void requestSucceeded(String host, int attempts, Duration took) {
            events.add("request succeeded " + host);
          }

          @Override
          public void retrying(
              String host, int attempt, ClassifiedFailure failure, Duration delay) {
            events.add("retrying " + host + " " + failure + " " + failure.cause());
          }

          @Override
          public void ipBanned(String host, InetAddress ip, Instant until, String reason) {
            events.add("banned " + host + " " + ip + " " + reason);
          }
        };
    int dead;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      dead = s.getLocalPort();
    }
    PrintStream err = System.err;
    PrintStream out = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(printed, true, StandardCharsets.UTF_8);
    Path jfr = Files.createTempFile("guise-proxy-leak", ".jfr");
    try (TestServer server =
            TestServer.builder().loopbackAddresses(1).hostNames(HOST).build().start();
        SquidProxy squid = SquidProxy.start("ann", GOOD, null, null);
        SocksProxy socks = SocksProxy.start("ann", GOOD);
        Recording recording = new Recording()) {
      recording.enable("dev.guise.*");
      List<Proxy> proxies =
          List.of(
              Proxy.parse("http://ann:" + BAD + "@127.0.0.1:" + squid.port()),
              Proxy.parse("socks5://ann:" + BAD + "@127.0.0.1:" + socks.port()),
              Proxy.parse("http://ann:" + BAD + "@127.0.0.1:" + dead),
              Proxy.parse("socks5h://ann:" + GOOD + "@127.0.0.1:" + socks.port()),
              Proxy.parse("http://ann:" + GOOD + "@127.0.0.1:" + squid.port()));
      System.setErr(capture);
      System.setOut(capture);
      recording.start();
      try (HotConnectionPool pool =
              HotConnectionPool.create(
                  PoolConfig.builder()
                      .engine("jdk")
                      .trust(server.certificateAuthority().trustPolicy())
                      .eventListener(listener)
                      .proxies(
                          ProxyRouting.of(proxies).withChoice((target, usable) -> usable.get(0)))
                      .build());
          GuiseClient client = new GuiseClient(pool)) {
        InetAddress ip = server.addresses().get(0);
        String url = "https://" + HOST + ":" + server.port() + "/";
        for (Proxy p : proxies) {
          try {
            client.send(HttpRequest.get(url), ip, p).status();
          } catch (Exception e) {
            seen.append(stackTrace(e));
          }
          seen.append(p).append('\n');
        }
        // Through the routing: failures, rests and retries on the way to the good ones.
        for (int i = 0; i < 3; i++) {
          try {
            client.send(HttpRequest.get(url + i), ip);
          } catch (Exception e) {
            seen.append(stackTrace(e));
          }
        }
        Exception parse =
            assertThrows(
                IllegalArgumentException.class,
                () -> Proxy.parse("htp://ann:" + GOOD + "@127.0.0.1:1"));
        seen.append(stackTrace(parse));
        seen.append(pool.stats()).append('\n').append(pool.proxyStats()).append('\n');
        seen.append(pool.config().proxies().orElseThrow()).append('\n');
      } finally {
        recording.stop();
        System.setErr(err);
        System.setOut(out);
      }
      recording.dump(jfr);
    }
    seen.append(printed.toString(StandardCharsets.UTF_8));
    events.forEach(e -> seen.append(e).append('\n'));
    int jfrEvents = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
      seen.append(e).append('\n');
      jfrEvents++;
    }
    Files.deleteIfExists(jfr);
    String all = seen.toString();
    assertTrue(events.size() > 5, "events were heard: " + events);
    assertTrue(jfrEvents > 0, "JFR events were recorded");
    assertTrue(all.contains("ann:***@"), "proxies are named, redacted");
    for (String secret : List.of(GOOD, BAD)) {
      for (String form :
          List.of(
              secret,
              Base64.getEncoder()
                  .encodeToString(("ann:" + secret).getBytes(StandardCharsets.UTF_8)))) {
        assertFalse(all.contains(form), "a password showed: " + form);
      }
    }
  }

  private static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }
}
