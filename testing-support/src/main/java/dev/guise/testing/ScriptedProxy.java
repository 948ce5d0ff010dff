package dev.guise.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A proxy on 127.0.0.1 written for tests, doing what real proxies do not on demand: it records the
 * exact bytes of every {@code CONNECT} head it gets, and it can misbehave. Real proxies (squid,
 * microsocks) prove the protocols; this one proves the head byte for byte and the failure paths.
 */
public final class ScriptedProxy implements AutoCloseable {
  /** What the proxy does with each connection. */
  public sealed interface Behaviour {}

  /**
   * HTTP CONNECT: answers 200 and relays to the target named in the request line; answers {@code
   * 502 Bad Gateway} when the target cannot be reached.
   */
  public record Tunnel() implements Behaviour {}

  /**
   * HTTP CONNECT: answers 407 with {@code Proxy-Authenticate: Basic} unless the head carries these
   * Basic credentials; then tunnels.
   */
  public record RequireBasic(String user, String password) implements Behaviour {}

  /** HTTP CONNECT: answers the head with this status line's code and closes. */
  public record Status(int code) implements Behaviour {}

  /** Accepts and never answers anything (a stalled proxy). */
  public record Silent() implements Behaviour {}

  /** Answers the first bytes it gets with these bytes and closes (a proxy talking garbage). */
  public record Garbage(byte[] bytes) implements Behaviour {}

  /** SOCKS5 without authentication, answering the CONNECT request with this reply code. */
  public record SocksReply(int code) implements Behaviour {}

  /**
   * SOCKS5 without authentication, answering the CONNECT request with exactly these bytes (a reply
   * no real server sends: a bogus address type, a short reply), then holding the connection open.
   */
  public record SocksRawReply(byte[] reply) implements Behaviour {}

  /**
   * HTTP CONNECT: reads this many bytes of the head and then closes the connection, with a TCP
   * reset when {@code reset} (SO_LINGER 0), else with an orderly FIN.
   */
  public record CloseMidConnect(int bytes, boolean reset) implements Behaviour {}

  /**
   * HTTP CONNECT: answers {@code 200 Connection established}, then, instead of relaying, sends
   * these bytes and reads until the client goes (a proxy that opened a "tunnel" to nowhere).
   */
  public record TunnelThenGarbage(byte[] bytes) implements Behaviour {}

  private final ServerSocket server;
  private final Behaviour behaviour;
  private final List<byte[]> heads = new CopyOnWriteArrayList<>();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private volatile boolean closed;

  public ScriptedProxy(Behaviour behaviour) throws IOException {
    this.behaviour = behaviour;
    this.server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    this.acceptor = Thread.ofVirtual().name("scripted-proxy").start(this::accept);
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Every CONNECT head received, byte for byte, up to and with its empty line. */
  public List<byte[]> heads() {
    return List.copyOf(heads);
  }

  /** The heads as ISO-8859-1 text. */
  public List<String> headTexts() {
    return heads.stream().map(h -> new String(h, StandardCharsets.ISO_8859_1)).toList();
  }

  private void accept() {
    while (!closed) {
      try {
        Socket s = server.accept();
        open.add(s);
        Thread.ofVirtual().start(() -> serve(s));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket s) {
    try {
      s.setSoTimeout(30_000);
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      switch (behaviour) {
        case Silent x -> {
          // Reads whatever comes and never answers, until the client or close() ends it.
          while (in.read() >= 0) {}
        }
        case Garbage g -> {
          in.read();
          out.write(g.bytes());
          out.flush();
        }
        case SocksReply r ->
            socks(in, out, new byte[] {5, (byte) r.code(), 0, 1, 0, 0, 0, 0, 0, 0});
        case SocksRawReply r -> {
          socks(in, out, r.reply());
          while (in.read() >= 0) {}
        }
        case CloseMidConnect c -> {
          in.readNBytes(c.bytes());
          if (c.reset()) {
            s.setSoLinger(true, 0);
          }
        }
        case TunnelThenGarbage g -> {
          readHead(in);
          out.write(
              "HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          out.write(g.bytes());
          out.flush();
          while (in.read() >= 0) {}
        }
        case Tunnel t -> connect(s, in, out, null);
        case RequireBasic b -> connect(s, in, out, b);
        case Status st -> {
          readHead(in);
          out.write(
              ("HTTP/1.1 " + st.code() + " Scripted\r\nContent-Length: 0\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
          out.flush();
        }
      }
    } catch (IOException ignored) {
      // the client went away
    } finally {
      SocketPipes.closeQuietly(s);
    }
  }

  private byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0 || head.size() > 65536) {
        throw new IOException("no complete head");
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    byte[] bytes = head.toByteArray();
    heads.add(bytes);
    return bytes;
  }

  private void connect(Socket s, InputStream in, OutputStream out, RequireBasic auth)
      throws IOException {
    String head = new String(readHead(in), StandardCharsets.ISO_8859_1);
    if (auth != null) {
      String expected =
          "Proxy-Authorization: Basic "
              + Base64.getEncoder()
                  .encodeToString(
                      (auth.user() + ":" + auth.password()).getBytes(StandardCharsets.UTF_8))
              + "\r\n";
      if (!head.contains(expected)) {
        out.write(
            ("HTTP/1.1 407 Proxy Authentication Required\r\n"
                    + "Proxy-Authenticate: Basic realm=\"scripted\"\r\nContent-Length: 0\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return;
      }
    }
    String target = head.substring("CONNECT ".length(), head.indexOf(" HTTP/1."));
    int colon = target.lastIndexOf(':');
    String host = target.substring(0, colon).replace("[", "").replace("]", "");
    int port = Integer.parseInt(target.substring(colon + 1));
    Socket upstream = new Socket();
    open.add(upstream);
    try {
      upstream.connect(new InetSocketAddress(host, port), 5000);
    } catch (IOException e) {
      // What real proxies do when the target cannot be reached (squid answers 503, nginx and
      // HAProxy 502): the proxy is fine, the target is not, and the client must be able to tell.
      SocketPipes.closeQuietly(upstream);
      open.remove(upstream);
      out.write(
          "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return;
    }
    out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    relay(s, upstream);
  }

  private static void socks(InputStream in, OutputStream out, byte[] reply) throws IOException {
    int version = in.read();
    int n = in.read();
    if (version != 5 || n < 0) {
      return;
    }
    in.readNBytes(n);
    out.write(new byte[] {5, 0});
    out.flush();
    byte[] request = in.readNBytes(4);
    int skip =
        switch (request[3]) {
          case 1 -> 4;
          case 4 -> 16;
          case 3 -> in.read();
          default -> 0;
        };
    in.readNBytes(skip + 2);
    out.write(reply);
    out.flush();
  }

  private void relay(Socket a, Socket b) throws IOException {
    a.setSoTimeout(0);
    b.setSoTimeout(0);
    Thread back = Thread.ofVirtual().start(() -> SocketPipes.pump(b, a));
    SocketPipes.pump(a, b);
    try {
      back.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    for (Socket s : open) {
      SocketPipes.closeQuietly(s);
    }
    try {
      acceptor.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
