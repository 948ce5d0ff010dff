package dev.guise.pool.internal.proxy;

import dev.guise.pool.proxy.Proxy;
import dev.guise.pool.proxy.ProxyCredentials;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A SOCKS5 {@code CONNECT} (RFC 1928) over a socket to the proxy, with username/password
 * authentication (RFC 1929) when credentials are configured. The target is the pinned IPv4 or IPv6
 * address, or the host name (address type 3) for the proxy to resolve.
 */
final class Socks5 {
  private static final int VERSION = 5;
  private static final int NO_AUTH = 0x00;
  private static final int USER_PASS = 0x02;
  private static final int NO_ACCEPTABLE = 0xFF;

  private Socks5() {}

  static void connect(Socket socket, Proxy proxy, TunnelTarget target, long deadlineNanos)
      throws IOException {
    String name = proxy.toString();
    try {
      handshake(socket, proxy, target, new TunnelIo(socket, deadlineNanos));
    } catch (SocketTimeoutException e) {
      throw ProxyFailures.timeout(name, "in the SOCKS5 handshake", e);
    } catch (EOFException e) {
      throw ProxyFailures.garbled(name, "closed the connection in the SOCKS5 handshake");
    }
  }

  private static void handshake(Socket socket, Proxy proxy, TunnelTarget target, TunnelIo io)
      throws IOException {
    String name = proxy.toString();
    OutputStream out = socket.getOutputStream();
    boolean hasCredentials = proxy.credentials().isPresent();
    out.write(
        hasCredentials
            ? new byte[] {VERSION, 2, NO_AUTH, USER_PASS}
            : new byte[] {VERSION, 1, NO_AUTH});
    out.flush();
    byte[] choice = io.readFully(2);
    if (choice[0] != VERSION) {
      throw ProxyFailures.garbled(name, "SOCKS version " + (choice[0] & 0xff) + " in its greeting");
    }
    int method = choice[1] & 0xff;
    if (method == NO_ACCEPTABLE) {
      throw ProxyFailures.authFailed(
          name,
          hasCredentials
              ? "it accepts neither no authentication nor username/password"
              : "it requires authentication and no credentials are configured");
    } else if (method == USER_PASS && hasCredentials) {
      authenticate(out, proxy.credentials().orElseThrow(), io, name);
    } else if (method != NO_AUTH) {
      throw ProxyFailures.garbled(name, "it chose method " + method + ", which was not offered");
    }
    out.write(request(target));
    out.flush();
    byte[] reply = io.readFully(4);
    if (reply[0] != VERSION) {
      throw ProxyFailures.garbled(name, "SOCKS version " + (reply[0] & 0xff) + " in its reply");
    }
    int code = reply[1] & 0xff;
    if (code != 0) {
      throw ProxyFailures.socksReply(name, code);
    }
    int addressLength =
        switch (reply[3]) {
          case 1 -> 4;
          case 4 -> 16;
          case 3 -> io.read();
          default ->
              throw ProxyFailures.garbled(name, "address type " + (reply[3] & 0xff) + " in reply");
        };
    io.readFully(addressLength + 2); // the bound address and port: not needed
  }

  private static void authenticate(OutputStream out, ProxyCredentials c, TunnelIo io, String name)
      throws IOException {
    byte[] user = c.username().getBytes(StandardCharsets.UTF_8);
    byte[] pass = c.password().getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream b = new ByteArrayOutputStream(3 + user.length + pass.length);
    b.write(1);
    b.write(user.length);
    b.write(user, 0, user.length);
    b.write(pass.length);
    b.write(pass, 0, pass.length);
    out.write(b.toByteArray());
    out.flush();
    byte[] status = io.readFully(2);
    // RFC 1929 says version 1; some servers echo 5. Anything else is garbage.
    if (status[0] != 1 && status[0] != VERSION) {
      throw ProxyFailures.garbled(name, "version " + (status[0] & 0xff) + " in its auth reply");
    }
    if (status[1] != 0) {
      throw ProxyFailures.authFailed(name, "username/password rejected");
    }
  }

  private static byte[] request(TunnelTarget target) {
    ByteArrayOutputStream b = new ByteArrayOutputStream(32);
    b.write(VERSION);
    b.write(1); // CONNECT
    b.write(0);
    if (target.ip() != null) {
      byte[] a = target.ip().getAddress();
      b.write(target.ip() instanceof Inet4Address ? 1 : 4);
      b.write(a, 0, a.length);
    } else {
      byte[] h = target.host().getBytes(StandardCharsets.US_ASCII);
      if (h.length > 255) {
        throw new IllegalArgumentException("a host name over 255 bytes cannot go through SOCKS5");
      }
      b.write(3);
      b.write(h.length);
      b.write(h, 0, h.length);
    }
    b.write(target.port() >> 8);
    b.write(target.port() & 0xff);
    return b.toByteArray();
  }
}
