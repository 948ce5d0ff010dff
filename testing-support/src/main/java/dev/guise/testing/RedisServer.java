package dev.guise.testing;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's {@code redis-server} on a free port of 127.0.0.1, in a temp directory of its own, with
 * nothing persisted: optionally with a password ({@code requirepass}) and a TLS port beside the
 * plain one (a self-signed certificate for 127.0.0.1 made here with {@code openssl}). It can be
 * killed ({@code SIGKILL}, as a crash) and started again on the same ports, empty, which is what a
 * fleet sees when its Redis dies and comes back.
 *
 * <p>Tests skip, not fail, where the binary is missing: {@code assumeTrue(RedisServer.installed(),
 * RedisServer.MISSING)}. {@code .ci/run} installs it.
 */
public final class RedisServer implements AutoCloseable {
  /** Where the binary is looked for. */
  public static final Path BINARY = Path.of("/usr/bin/redis-server");

  /** What a test says when it skips for want of the binary. */
  public static final String MISSING =
      "redis-server is not installed (apt-get install redis-server; .ci/run installs it)";

  private static final Duration START = Duration.ofSeconds(20);
  private static final int COMMAND_TIMEOUT_MILLIS = 5_000;

  private final Path dir;
  private final int port;
  private final int tlsPort;
  private final String password;
  private final Path certificate;
  private final Path config;
  private Process process;
  // Appended by the reader thread, read by the test thread for failure messages.
  private final StringBuffer output = new StringBuffer();

  /** Whether {@code /usr/bin/redis-server} is there to start. */
  public static boolean installed() {
    return Files.isExecutable(BINARY);
  }

  /** A redis-server without password or TLS. */
  public static RedisServer start() throws IOException, InterruptedException {
    return start(null, false);
  }

  /**
   * A redis-server asking for {@code password} (none when null) and, when {@code tls}, also serving
   * TLS on {@link #tlsPort()} with the certificate at {@link #certificate()}.
   */
  public static RedisServer start(String password, boolean tls)
      throws IOException, InterruptedException {
    if (!installed()) {
      throw new AssertionError(MISSING);
    }
    RedisServer server = new RedisServer(password, tls);
    try {
      server.launch();
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      server.close();
      throw e;
    }
    return server;
  }

  private RedisServer(String password, boolean tls) throws IOException, InterruptedException {
    this.dir = Files.createTempDirectory("guise-redis-");
    this.password = password;
    this.port = freePort();
    this.tlsPort = tls ? freePort() : -1;
    List<String> conf = new ArrayList<>();
    conf.add("bind 127.0.0.1");
    conf.add("port " + port);
    conf.add("dir " + dir);
    conf.add("save \"\"");
    conf.add("appendonly no");
    conf.add("daemonize no");
    conf.add("logfile \"\"");
    if (password != null) {
      conf.add("requirepass \"" + password + "\"");
    }
    if (tls) {
      this.certificate = dir.resolve("redis-cert.pem");
      Path key = dir.resolve("redis-key.pem");
      openssl(
          "req",
          "-x509",
          "-newkey",
          "ec",
          "-pkeyopt",
          "ec_paramgen_curve:prime256v1",
          "-nodes",
          "-days",
          "2",
          "-subj",
          "/CN=127.0.0.1",
          "-addext",
          "subjectAltName=IP:127.0.0.1,DNS:localhost",
          "-keyout",
          key.toString(),
          "-out",
          certificate.toString());
      conf.add("tls-port " + tlsPort);
      conf.add("tls-cert-file " + certificate);
      conf.add("tls-key-file " + key);
      conf.add("tls-ca-cert-file " + certificate);
      conf.add("tls-auth-clients no");
    } else {
      this.certificate = null;
    }
    this.config = dir.resolve("redis.conf");
    Files.write(config, conf, StandardCharsets.UTF_8);
  }

  private static int freePort() throws IOException {
    // Free now; the server takes it a moment later. Another process taking it in between shows as
    // a failed start, not as a wrong peer.
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return probe.getLocalPort();
    }
  }

  private void openssl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("openssl is required for a TLS redis-server: " + e, e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new AssertionError("openssl failed: " + out);
    }
  }

  private synchronized void launch() throws IOException, InterruptedException {
    output.setLength(0);
    process =
        new ProcessBuilder(BINARY.toString(), config.toString())
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    Process started = process;
    Thread reader = new Thread(() -> drain(started), "redis-server-output");
    reader.setDaemon(true);
    reader.start();
    long deadline = System.nanoTime() + START.toNanos();
    while (true) {
      try {
        if ("PONG".equals(command("PING"))) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new AssertionError("redis-server did not start: " + output);
      }
      Thread.sleep(50);
    }
  }

  private void drain(Process p) {
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        output.append(line).append('\n');
      }
    } catch (IOException ignored) {
      // the process ended
    }
  }

  /** The plain port on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** The TLS port on 127.0.0.1; -1 when this server serves no TLS. */
  public int tlsPort() {
    return tlsPort;
  }

  /** The server's self-signed certificate (PEM), to trust; null when it serves no TLS. */
  public Path certificate() {
    return certificate;
  }

  /** {@code redis://127.0.0.1:port}, without the password. */
  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** {@code rediss://127.0.0.1:tlsPort}, without the password. */
  public String tlsUri() {
    if (tlsPort < 0) {
      throw new IllegalStateException("this redis-server serves no TLS");
    }
    return "rediss://127.0.0.1:" + tlsPort;
  }

  /** Whether the process is running. */
  public synchronized boolean alive() {
    return process != null && process.isAlive();
  }

  /** Kills the server at once ({@code SIGKILL}, a crash): its data is gone with it. */
  public synchronized void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        throw new AssertionError("redis-server did not die");
      }
    }
  }

  /**
   * Freezes the server ({@code SIGSTOP}): its sockets stay open and nothing is answered, as a Redis
   * on a host that stalls (swapping, a paused VM) looks to its clients, until {@link #resume()}.
   */
  public synchronized void suspend() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** Lets a {@link #suspend() suspended} server run again ({@code SIGCONT}). */
  public synchronized void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String name) throws IOException, InterruptedException {
    if (process == null || !process.isAlive()) {
      return;
    }
    Process kill =
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
            .redirectErrorStream(true)
            .start();
    String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      kill.destroyForcibly();
      throw new IOException("kill -" + name + " failed: " + out);
    }
  }

  /** Starts the server again, empty, on the same ports (after {@link #kill()}). */
  public synchronized void restart() throws IOException, InterruptedException {
    kill();
    launch();
  }

  /**
   * Makes every other client wait {@code duration} for its answers ({@code CLIENT PAUSE ... ALL}):
   * a Redis answering slowly, without being down.
   */
  public void pause(Duration duration) throws IOException {
    command("CLIENT", "PAUSE", Long.toString(duration.toMillis()), "ALL");
  }

  /**
   * Sends one command over a fresh plain connection (after {@code AUTH} when there is a password)
   * and returns the answer: a String for simple and bulk strings, a Long for integers, a List for
   * arrays, null for a nil. An error answer is thrown as an IOException.
   */
  public Object command(String... args) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), COMMAND_TIMEOUT_MILLIS);
      socket.setSoTimeout(COMMAND_TIMEOUT_MILLIS);
      OutputStream out = socket.getOutputStream();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      if (password != null) {
        write(out, "AUTH", password);
        read(in);
      }
      write(out, args);
      return read(in);
    }
  }

  private static void write(OutputStream out, String... args) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (String a : args) {
      byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
      b.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      b.writeBytes(bytes);
      b.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.write(b.toByteArray());
    out.flush();
  }

  private static Object read(InputStream in) throws IOException {
    int type = in.read();
    String line = line(in);
    switch (type) {
      case '+':
        return line;
      case '-':
        throw new IOException("redis: " + line);
      case ':':
        return Long.parseLong(line);
      case '$':
        {
          int n = Integer.parseInt(line);
          if (n < 0) {
            return null;
          }
          byte[] bytes = in.readNBytes(n + 2);
          return new String(bytes, 0, n, StandardCharsets.UTF_8);
        }
      case '*':
        {
          int n = Integer.parseInt(line);
          if (n < 0) {
            return null;
          }
          List<Object> items = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            items.add(read(in));
          }
          return items;
        }
      default:
        throw new IOException("not a RESP answer: " + (char) type + line);
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c; (c = in.read()) != '\n'; ) {
      if (c < 0) {
        throw new IOException("redis closed the connection");
      }
      if (c != '\r') {
        b.write(c);
      }
    }
    return b.toString(StandardCharsets.UTF_8);
  }

  /** What the server printed since it was last started. */
  public String output() {
    return output.toString();
  }

  @Override
  public void close() {
    try {
      kill();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp directory left behind
    }
  }
}
