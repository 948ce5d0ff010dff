package dev.guise.fuzz;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.guise.api.FailureKind;
import dev.guise.api.TrustPolicy;
import dev.guise.pool.internal.proxy.TunnelTarget;
import dev.guise.pool.internal.proxy.Tunnels;
import dev.guise.pool.proxy.Proxy;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Set;

/**
 * A proxy's answers as the pool reads them, through {@link Tunnels#open} over a real loopback
 * socket (the parsers read a socket, byte by byte where the end is unknown, so that nothing of the
 * site's TLS is taken): the answer to an HTTP {@code CONNECT} (status line, head, the one retry
 * after a {@code 407}) and a SOCKS5 exchange (method choice, RFC 1929 status, reply with its bound
 * address). The proxy here writes the input, then closes. Any input opens a tunnel or fails with a
 * proxy kind; a truncated answer must read as a protocol error at the close, not wait for the
 * deadline.
 */
class ProxyReplyFuzzTest {
  private static final Set<FailureKind> PROXY_FAILURES =
      Set.of(
          FailureKind.PROXY_PROTOCOL_ERROR,
          FailureKind.PROXY_REJECTED,
          FailureKind.PROXY_AUTH_FAILED,
          // What the proxy says of the target: SOCKS5 reply 5 or a CONNECT answered 502/503 (the
          // target refused or could not be reached), reply 6 or a 504 (it did not answer in time).
          FailureKind.CONNECTION_REFUSED,
          FailureKind.CONNECT_TIMEOUT,
          FailureKind.PROXY_TIMEOUT);

  private static final TunnelTarget TARGET =
      new TunnelTarget("www.example.test", InetAddress.getLoopbackAddress(), 443);

  /** The first byte's low bit: whether the proxy has credentials (407 answered, RFC 1929 used). */
  @FuzzTest(maxDuration = "2m")
  void connectReply(byte[] input) throws Exception {
    replay("http", input);
  }

  @FuzzTest(maxDuration = "2m")
  void socks5Reply(byte[] input) throws Exception {
    replay("socks5", input);
  }

  private static void replay(String scheme, byte[] input) throws Exception {
    if (input.length == 0) {
      return;
    }
    // The target's one network peer is its own loopback "proxy"; Jazzer's SSRF detector would
    // report that connection (made on purpose) as a finding when fuzzing.
    BugDetectors.allowNetworkConnections(
        (host, port) -> host.equals("localhost") || host.startsWith("127."));
    boolean credentials = (input[0] & 1) != 0;
    byte[] answer = Arrays.copyOfRange(input, 1, input.length);
    try (ServerSocket server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
      Thread proxy = Thread.ofVirtual().start(() -> answerEach(server, answer));
      Proxy p =
          Proxy.parse(
              scheme
                  + "://"
                  + (credentials ? "fuzz:pass@" : "")
                  + "127.0.0.1:"
                  + server.getLocalPort());
      long deadline = System.nanoTime() + 5_000_000_000L;
      Contract.parsesOrFailsClassified(
          () -> {
            try (Socket tunnel =
                new Tunnels(TrustPolicy.systemDefaults()).open(p, TARGET, "chrome", deadline)) {
              // an answer the pool takes as an open tunnel: the site's TLS would start here
            }
          },
          PROXY_FAILURES);
      if (System.nanoTime() > deadline) {
        throw new AssertionError("a closed connection was read up to the deadline");
      }
      server.close();
      proxy.join();
    }
  }

  /** Each connection (a second one after a 407) gets the whole answer, then the close. */
  private static void answerEach(ServerSocket server, byte[] answer) {
    while (true) {
      try (Socket s = server.accept()) {
        s.setSoTimeout(5_000);
        s.getOutputStream().write(answer);
        s.getOutputStream().flush();
        s.shutdownOutput();
        // Read what the client sends until it closes, so our close is not a reset.
        InputStream in = s.getInputStream();
        byte[] sink = new byte[4096];
        while (in.read(sink) >= 0) {}
      } catch (IOException closed) {
        return;
      }
    }
  }
}
