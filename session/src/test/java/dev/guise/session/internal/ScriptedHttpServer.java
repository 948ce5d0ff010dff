package dev.guise.session.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A plain HTTP/1.1 server on loopback for the interop tests with curl and Chromium: each request
 * gets the response the script gives for its path (each connection closed after one response), and
 * the server records every request's head.
 */
final class ScriptedHttpServer implements AutoCloseable {

  /** A recorded request: its method, path and header fields, names in lower case. */
  record Request(String method, String path, Map<String, String> headers) {}

  /** The most request body a script's client may send; a longer one is not read. */
  private static final int MAX_BODY = 1 << 20;

  private final ServerSocket socket;
  private final Thread thread;
  private final Function<String, String> script;
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  /**
   * @param script from a request's path (with its query) to the whole response head and body
   */
  ScriptedHttpServer(Function<String, String> script) throws IOException {
    this.script = script;
    this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.thread = Thread.ofVirtual().name("scripted-http").start(this::serve);
  }

  int port() {
    return socket.getLocalPort();
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  private void serve() {
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        // One thread a connection: a browser opens spare connections it may never use.
        Thread.ofVirtual().name("scripted-http-connection").start(() -> answer(s));
      } catch (IOException e) {
        // The server socket closed: the loop ends.
      }
    }
  }

  private void answer(Socket s) {
    try (s) {
      s.setSoTimeout(10_000);
      String head = readHead(s.getInputStream());
      if (head == null) {
        return;
      }
      String[] lines = head.split("\r\n");
      String[] requestLine = lines[0].split(" ");
      String path = requestLine[1];
      // In arrival order: tests compare the browser's header order.
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) {
          headers.put(
              lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
              lines[i].substring(colon + 1).trim());
        }
      }
      // Read a POST's body before answering: closing with unread bytes would reset the connection
      // under the response.
      int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
      if (length > 0 && length <= MAX_BODY) {
        s.getInputStream().readNBytes(length);
      }
      requests.add(new Request(requestLine[0], path, headers));
      OutputStream out = s.getOutputStream();
      out.write(script.apply(path).getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException | RuntimeException e) {
      // A client that went away, or a spare connection that timed out unused.
    }
  }

  /** The request head up to the blank line, at most 64 KiB; null if the client sent nothing. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    int b;
    while (matched < 4 && head.size() < 65536 && (b = in.read()) >= 0) {
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.size() == 0 ? null : head.toString(StandardCharsets.ISO_8859_1);
  }

  /** A response with these extra header fields and an HTML or empty body. */
  static String response(List<String> fields, String body) {
    StringBuilder r = new StringBuilder("HTTP/1.1 200 OK\r\n");
    for (String f : fields) {
      r.append(f).append("\r\n");
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    r.append("Content-Type: text/html; charset=utf-8\r\n");
    r.append("Content-Length: ").append(bytes.length).append("\r\n");
    r.append("Connection: close\r\n\r\n").append(body);
    return r.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
