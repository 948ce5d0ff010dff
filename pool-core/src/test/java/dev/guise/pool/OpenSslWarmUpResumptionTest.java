package dev.guise.pool;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.ProbeRequest;
import dev.guise.api.ProbeResponse;
import dev.guise.api.ValidationResult;
import dev.guise.api.ValidationTarget;
import dev.guise.api.spi.ConnectionValidator;
import dev.guise.pool.config.PoolConfig;
import dev.guise.testing.OpenSslServer;
import dev.guise.testkit.tls.IssuedCertificate;
import dev.guise.testkit.tls.TestCertificateAuthority;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Warm-up of a host's many IPs resumes TLS 1.3 sessions against OpenSSL, as the server itself
 * tells: one {@code openssl s_server} (one session cache and ticket key) serves the same port on 8
 * loopback addresses, and each warm-up connection's validation asks it for its status page, which
 * says whether that connection's session was {@code New} or {@code Reused}. The first IP's
 * handshake is full; later ones resume with tickets relayed from earlier connections.
 */
@Timeout(120)
class OpenSslWarmUpResumptionTest {
  private static final String HOST = "www.openssl-warm.test";
  private static final int IPS = 8;
  private static final Pattern SESSION = Pattern.compile("(New|Reused), TLSv1\\.[23]");

  private static TestCertificateAuthority ca;
  private static IssuedCertificate.PemFiles pem;

  @BeforeAll
  static void certificate(@TempDir Path dir) throws Exception {
    ca = TestCertificateAuthority.create("Guise OpenSSL Warm-up Root");
    pem = ca.issue(HOST).writePem(dir);
  }

  /**
   * Asks s_server for its status page ({@code -www}: answered once, then it closes) and keeps what
   * the page says of the connection's session, by IP. s_server serves one connection at a time, so
   * each connection must ask, or the next would wait behind it.
   */
  static final class StatusPage implements ConnectionValidator {
    final Map<InetAddress, String> sessions = new ConcurrentHashMap<>();

    @Override
    public String name() {
      return "openssl-status-page";
    }

    @Override
    public ValidationResult validate(ValidationTarget target, Duration timeout) {
      long start = System.nanoTime();
      try {
        ProbeResponse page = target.exchange(ProbeRequest.get("/", 64 * 1024), timeout);
        Matcher m = SESSION.matcher(new String(page.body(), ISO_8859_1));
        sessions.put(target.endpoint().ip(), m.find() ? m.group() : "no session line");
        return ValidationResult.ok("status page", Duration.ofNanos(System.nanoTime() - start));
      } catch (IOException e) {
        return ValidationResult.unhealthy(
            ValidationResult.Reason.CLOSED,
            e.getClass().getSimpleName(),
            Duration.ofNanos(System.nanoTime() - start));
      }
    }
  }

  private static List<InetAddress> ips() throws IOException {
    List<InetAddress> ips = new ArrayList<>();
    for (int i = 0; i < IPS; i++) {
      ips.add(InetAddress.getByName("127.0.4." + (201 + i)));
    }
    return ips;
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"bouncycastle, chrome-156", "bouncycastle, firefox-153", "conscrypt, chrome-156"})
  void warmUpResumesOnEveryIpAfterTheFirstAsOpenSslSays(String engine, String profile)
      throws Exception {
    List<InetAddress> ips = ips();
    StatusPage status = new StatusPage();
    try (OpenSslServer openssl =
            OpenSslServer.onAddresses(
                ips, pem.certificateChain(), pem.privateKey(), "-alpn", "http/1.1");
        HotConnectionPool pool =
            HotConnectionPool.create(
                PoolConfig.builder()
                    .engine(engine)
                    .profile(profile)
                    .alpn(List.of("http/1.1"))
                    .validator(status)
                    .trust(ca.trustPolicy())
                    .build())) {
      WarmUpSummary w = pool.warmUp(HOST, openssl.port(), ips, WarmUpProgress.NONE);
      List<String> seen = new ArrayList<>();
      for (InetAddress ip : ips) {
        seen.add(status.sessions.getOrDefault(ip, "not validated"));
      }
      System.out.printf(
          "warm-up of %d IPs against openssl s_server, %s %s, in %d ms: %s%n",
          IPS, engine, profile, w.took().toMillis(), seen);
      assertEquals(IPS, status.sessions.size(), w + " " + openssl.output());
      assertEquals("New, TLSv1.3", seen.get(0), "the first IP opens alone, in full");
      // Not every later IP: s_server -www serves one connection at a time, so a later connection
      // can wait behind the others longer than the relay's patience (the first connection's
      // time), and then the rest open at once, in full. Fresh-clone CI runs resumed on 3 to 7 of
      // the 7 (docs/profiles.md, "Warm-up"). What must hold is that OpenSSL accepts the tickets
      // the relay hands from one IP's connection to another's, and names nothing but New or Reused.
      List<String> rest = seen.subList(1, IPS);
      assertTrue(
          rest.contains("Reused, TLSv1.3"), "a later IP resumes, as s_server reports: " + rest);
      for (String session : rest) {
        assertTrue(SESSION.matcher(session).matches(), "a TLS 1.3 session on every IP: " + rest);
      }
    }
  }
}
