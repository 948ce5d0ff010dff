package dev.guise.pool.internal.proxy;

import dev.guise.pool.proxy.Proxy;
import dev.guise.pool.proxy.ProxyCredentials;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * HTTP {@code CONNECT} over a socket to the proxy (plain, or the proxy's TLS): sends the browser's
 * head and reads the answer's head, no further. 2xx opens the tunnel; the caller handles {@code
 * 407} (one answer with the credentials, never a loop).
 */
final class HttpConnect {
  /** A proxy's answer head larger than this is garbage, not a head. */
  static final int MAX_HEAD = 16 * 1024;

  private HttpConnect() {}

  /** The status of the proxy's answer; the socket is positioned after its head. */
  static int request(
      Socket socket,
      Proxy proxy,
      TunnelTarget target,
      String profile,
      boolean withCredentials,
      long deadlineNanos)
      throws IOException {
    String authorization = null;
    if (withCredentials) {
      ProxyCredentials c = proxy.credentials().orElseThrow();
      authorization =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString(
                      (c.username() + ":" + c.password()).getBytes(StandardCharsets.UTF_8));
    }
    OutputStream out = socket.getOutputStream();
    out.write(ConnectHeads.head(profile, target.authority(), authorization));
    out.flush();
    try {
      return readStatus(new TunnelIo(socket, deadlineNanos), proxy);
    } catch (SocketTimeoutException e) {
      throw ProxyFailures.timeout(proxy.toString(), "answering CONNECT", e);
    } catch (EOFException e) {
      throw ProxyFailures.garbled(proxy.toString(), "closed the connection before answering");
    }
  }

  /** Reads the answer head up to its empty line; returns the status. */
  private static int readStatus(TunnelIo io, Proxy proxy) throws IOException {
    StringBuilder head = new StringBuilder();
    int newlines = 0;
    while (true) {
      int b = io.read();
      if (head.length() >= MAX_HEAD) {
        throw ProxyFailures.garbled(proxy.toString(), "an answer head over " + MAX_HEAD + " bytes");
      }
      head.append((char) b);
      if (b == '\n') {
        if (++newlines >= 2 && endsWithEmptyLine(head)) {
          break;
        }
      } else if (b == 0) {
        throw ProxyFailures.garbled(proxy.toString(), "a NUL byte in the answer head");
      }
    }
    String statusLine = head.substring(0, head.indexOf("\n")).strip();
    // HTTP/1.1 200 Connection established
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2
        || !parts[0].toUpperCase(Locale.ROOT).matches("HTTP/1\\.[01]")
        || !parts[1].matches("[1-5][0-9][0-9]")) {
      throw ProxyFailures.garbled(
          proxy.toString(), "not an HTTP status line: " + printable(statusLine));
    }
    return Integer.parseInt(parts[1]);
  }

  private static boolean endsWithEmptyLine(StringBuilder s) {
    int n = s.length();
    return (n >= 2 && s.charAt(n - 2) == '\n')
        || (n >= 3 && s.charAt(n - 3) == '\n' && s.charAt(n - 2) == '\r');
  }

  /** At most 60 characters, control bytes escaped: enough to tell what came, never a flood. */
  static String printable(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length() && i < 60; i++) {
      char c = s.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
    }
    return out.toString();
  }
}
