package dev.guise.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Debian's squid as an HTTP {@code CONNECT} proxy on 127.0.0.1: optionally with Basic
 * authentication (its {@code basic_ncsa_auth} helper over an htpasswd file made here with {@code
 * openssl passwd -apr1}), optionally as an HTTPS proxy ({@code https_port} with the given
 * certificate). CONNECT is allowed to any port (squid allows 443 only by default; the tests'
 * servers listen elsewhere). Nothing is cached.
 */
public final class SquidProxy extends ProxyProcess {
  private final boolean https;

  private SquidProxy(boolean https) throws IOException {
    super("squid");
    this.https = https;
  }

  /** A squid without authentication. */
  public static SquidProxy start() throws IOException, InterruptedException {
    return start(null, null, null, null);
  }

  /**
   * A squid asking for Basic credentials {@code user}/{@code password} (none when null), serving
   * TLS with {@code certificateChain} and {@code privateKey} (PEM files) when they are given.
   */
  public static SquidProxy start(
      String user, String password, Path certificateChain, Path privateKey)
      throws IOException, InterruptedException {
    SquidProxy squid = new SquidProxy(certificateChain != null);
    try {
      squid.launch(user, password, certificateChain, privateKey);
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      squid.close();
      throw e;
    }
    return squid;
  }

  private void launch(String user, String password, Path chain, Path key)
      throws IOException, InterruptedException {
    List<String> conf = new ArrayList<>();
    if (chain != null) {
      Path c = Files.copy(chain, dir.resolve("proxy-chain.pem"));
      // Re-encoded by openssl: squid's GnuTLS turns down an EC key without its public point, as
      // the JDK's PKCS#8 encoding has it ("The request is invalid"), and takes SEC1 with it.
      Path k = dir.resolve("proxy-key.pem");
      if (!run("openssl", "ec", "-in", key.toString(), "-out", k.toString())) {
        Files.copy(key, k); // not an EC key: as it is
      }
      c.toFile().setReadable(true, false);
      k.toFile().setReadable(true, false);
      conf.add("https_port 127.0.0.1:" + port + " tls-cert=" + c + " tls-key=" + k);
    } else {
      conf.add("http_port 127.0.0.1:" + port);
    }
    conf.addAll(
        List.of(
            "pid_filename " + dir.resolve("squid.pid"),
            "access_log stdio:" + dir.resolve("access.log"),
            "cache_log " + dir.resolve("cache.log"),
            "cache deny all",
            "cache_mem 1 MB",
            "shutdown_lifetime 0 seconds",
            "coredump_dir " + dir,
            "cache_effective_user proxy",
            "pinger_enable off",
            "acl CONNECT method CONNECT"));
    if (user != null) {
      Path htpasswd = dir.resolve("htpasswd");
      Files.writeString(htpasswd, user + ":" + apr1(password) + "\n", StandardCharsets.UTF_8);
      htpasswd.toFile().setReadable(true, false);
      conf.add("auth_param basic program /usr/lib/squid/basic_ncsa_auth " + htpasswd);
      conf.add("auth_param basic realm guise-test");
      conf.add("acl authed proxy_auth REQUIRED");
      conf.add("http_access allow authed");
    } else {
      conf.add("http_access allow all");
    }
    conf.add("http_access deny all");
    Path file = dir.resolve("squid.conf");
    Files.write(file, conf, StandardCharsets.UTF_8);
    file.toFile().setReadable(true, false);
    start(List.of("squid", "-N", "-f", file.toString()), "squid", "squid");
  }

  private static boolean run(String... command) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError(command[0] + " is required for this test; run .ci/run: " + e, e);
    }
    p.getInputStream().readAllBytes();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not end");
    }
    return p.exitValue() == 0;
  }

  /** {@code openssl passwd -apr1}: the hash basic_ncsa_auth reads. */
  private static String apr1(String password) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder("openssl", "passwd", "-apr1", "-stdin").start();
    } catch (IOException e) {
      throw new AssertionError("openssl is required for this test; run .ci/run: " + e, e);
    }
    p.getOutputStream().write((password + "\n").getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new AssertionError("openssl passwd failed");
    }
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
  }

  /** Whether this squid serves TLS ({@code https_port}). */
  public boolean https() {
    return https;
  }

  /** squid's access log so far: one line per request (a CONNECT: its target and status). */
  public String accessLog() throws IOException {
    Path log = dir.resolve("access.log");
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }

  /**
   * squid's access log once {@code done} holds for it, or as it is after {@code timeout}. squid
   * writes a request's line when its transaction ends, which can be after the client has read the
   * response and moved on, so a test that counts lines waits for them.
   */
  public String awaitAccessLog(Predicate<String> done, Duration timeout)
      throws IOException, InterruptedException {
    long until = System.nanoTime() + timeout.toNanos();
    String log = accessLog();
    while (!done.test(log) && System.nanoTime() < until) {
      Thread.sleep(50);
      log = accessLog();
    }
    return log;
  }

  @Override
  String logs() {
    try {
      Path log = dir.resolve("cache.log");
      return Files.exists(log) ? "\ncache.log:\n" + Files.readString(log) : "";
    } catch (IOException e) {
      return "";
    }
  }
}
