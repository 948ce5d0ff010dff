package dev.guise.tls.conscrypt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.TlsConnectRequest;
import dev.guise.api.TlsConnection;
import dev.guise.api.TlsEndpoint;
import dev.guise.fingerprint.ClientHello;
import dev.guise.testing.ReferenceCaptures;
import dev.guise.testkit.ConnectionRecord;
import dev.guise.testkit.TestServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Conscrypt engine's resumed hello, as close to the browser's as BoringSSL's Java API allows.
 * It is compared with Chromium's captured one and its differences are printed (they are the full
 * hello's, see {@link ConscryptEngine}); what must hold, holds: {@code pre_shared_key} last, with
 * {@code psk_key_exchange_modes}. That every engine resumes, and where it must not, is {@code
 * ResumptionConformanceTest}'s (engine-conformance-tests).
 */
@Timeout(60)
class ConscryptResumptionTest {
  private static final String HOST = "www.resume.test";
  private static final int PSK_KEY_EXCHANGE_MODES = 45;
  private static final int PRE_SHARED_KEY = 41;

  @Test
  void resumedHelloAgainstChromiumsResumedHello() throws Exception {
    try (TestServer server =
        TestServer.builder()
            .loopbackAddresses(1)
            .hostNames(HOST)
            .alpn("http/1.1")
            .build()
            .start()) {
      ConscryptEngine engine = new ConscryptEngine();
      TlsConnectRequest request =
          new TlsConnectRequest(
              new TlsEndpoint(HOST, server.addresses().get(0), server.port()),
              "chrome-156",
              List.of("http/1.1"),
              server.certificateAuthority().trustPolicy(),
              LoopbackServers.HANDSHAKE_TIMEOUT,
              "resume-test-3");
      exchangeWith(engine, request);
      exchangeWith(engine, request);
      List<ConnectionRecord> seen = server.connections();
      assertEquals(2, seen.size());
      ClientHello full = seen.get(0).clientHello().orElseThrow();
      ClientHello resumed = seen.get(1).clientHello().orElseThrow();
      assertFalse(full.hasExtension(PRE_SHARED_KEY));
      List<Integer> types = resumed.extensionTypes();
      assertEquals(PRE_SHARED_KEY, types.get(types.size() - 1), "pre_shared_key last: " + types);
      assertTrue(resumed.hasExtension(PSK_KEY_EXCHANGE_MODES));

      ClientHello chromium =
          ClientHello.parse(ReferenceCaptures.bytes("sessions/chromium1/conn06.bin"));
      List<Integer> chromiumTypes = withoutGrease(chromium.extensionTypes());
      List<Integer> ours = withoutGrease(types);
      List<Integer> missing = new ArrayList<>(chromiumTypes);
      missing.removeAll(ours);
      List<Integer> extra = new ArrayList<>(ours);
      extra.removeAll(chromiumTypes);
      System.out.printf(
          "Conscrypt resumed hello: extensions %s%nChromium resumed hello: extensions %s%n"
              + "missing from Conscrypt's: %s, extra: %s%n",
          ours, chromiumTypes, missing, extra);
      // Both offer the ticket the same way: pre_shared_key last, psk_dhe_ke.
      assertArrayEquals(
          chromium.extension(PSK_KEY_EXCHANGE_MODES).orElseThrow().data(),
          resumed.extension(PSK_KEY_EXCHANGE_MODES).orElseThrow().data());
    }
  }

  private static void exchangeWith(ConscryptEngine engine, TlsConnectRequest request)
      throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress(request.endpoint().ip(), request.endpoint().port()), 2000);
    try (TlsConnection c = engine.connect(socket, request)) {
      c.setReadTimeout(Duration.ofSeconds(5));
      String response = LoopbackServers.get(c, HOST);
      assertTrue(response.startsWith("HTTP/1.1 200"), response);
    }
  }

  private static List<Integer> withoutGrease(List<Integer> types) {
    return types.stream().filter(t -> !ClientHello.isGrease(t)).toList();
  }
}
