package dev.guise.benchmarks.server;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * A {@link BenchServer} in a child JVM: same java and class path as this one. The child serves
 * until {@link #close()} (or until this JVM dies: it watches its standard input).
 *
 * <p>Clients trust {@link #ca()} only; verification stays on everywhere.
 */
public final class ServerProcess implements AutoCloseable {
  private final Process process;
  private final int port;
  private final X509Certificate ca;

  /** The system property through which a parent hands a running server to forked JVMs. */
  public static String property(String mode) {
    return "guise.bench.server." + mode.replace(' ', '-');
  }

  /**
   * The server for {@code modeAndArgs}: the one a parent process started and named in the system
   * property {@link #property(String)} (as {@link #describe()}), or a new child process.
   */
  public static ServerProcess shared(String... modeAndArgs) throws IOException {
    String given = System.getProperty(property(String.join(" ", modeAndArgs)));
    if (given == null) {
      return start(modeAndArgs);
    }
    int colon = given.indexOf(':');
    try {
      X509Certificate ca =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(
                      new ByteArrayInputStream(
                          Base64.getDecoder().decode(given.substring(colon + 1))));
      return new ServerProcess(null, Integer.parseInt(given.substring(0, colon)), ca);
    } catch (GeneralSecurityException e) {
      throw new IOException("bad server description " + given, e);
    }
  }

  /** {@code port:base64 CA}, for {@link #shared}. */
  public String describe() {
    try {
      return port + ":" + Base64.getEncoder().encodeToString(ca.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  private ServerProcess(Process process, int port, X509Certificate ca) {
    this.process = process;
    this.port = port;
    this.ca = ca;
  }

  /**
   * The TLS 1.3 tickets the server sends per handshake: {@code tickets=N} among the arguments, else
   * none (the hot and handshake benchmarks measure full handshakes and sessions without tickets).
   */
  static int tickets(String... modeAndArgs) {
    for (String a : modeAndArgs) {
      if (a.startsWith(TICKETS)) {
        return Integer.parseInt(a.substring(TICKETS.length()));
      }
    }
    return 0;
  }

  /** The argument that makes a server send tickets: {@code tickets=2}. */
  public static final String TICKETS = "tickets=";

  /** Starts {@code BenchServer mode args...} and waits until it listens. */
  public static ServerProcess start(String... modeAndArgs) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    cmd.add("-XX:+UseParallelGC");
    cmd.add("-Djdk.tls.server.newSessionTicketCount=" + tickets(modeAndArgs));
    cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(BenchServer.class.getName());
    cmd.addAll(List.of(modeAndArgs));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
    X509Certificate ca = null;
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("CA ")) {
        try {
          ca =
              (X509Certificate)
                  CertificateFactory.getInstance("X.509")
                      .generateCertificate(
                          new ByteArrayInputStream(Base64.getDecoder().decode(line.substring(3))));
        } catch (GeneralSecurityException e) {
          p.destroyForcibly();
          throw new IOException("bad CA line from the server", e);
        }
      } else if (line.startsWith("READY ")) {
        ServerProcess sp = new ServerProcess(p, Integer.parseInt(line.substring(6).trim()), ca);
        Thread drain =
            new Thread(
                () -> {
                  try {
                    while (out.readLine() != null) {
                      // keep the pipe empty
                    }
                  } catch (IOException ignored) {
                    // the server went away
                  }
                },
                "bench-server-stdout");
        drain.setDaemon(true);
        drain.start();
        Runtime.getRuntime().addShutdownHook(new Thread(sp::close));
        return sp;
      }
    }
    p.destroyForcibly();
    throw new IOException("the benchmark server exited before it was ready: " + cmd);
  }

  public int port() {
    return port;
  }

  public X509Certificate ca() {
    return ca;
  }

  /** The server process's id (its CPU is not the client's). */
  public long pid() {
    return process == null ? -1 : process.pid();
  }

  /** A JDK SSL context that trusts only this server's CA (what the JDK-TLS peers use). */
  public SSLContext clientSslContext() {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, trustManagerFactory().getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public X509TrustManager trustManager() {
    return (X509TrustManager) trustManagerFactory().getTrustManagers()[0];
  }

  /** A key store holding the CA as the only trusted entry. */
  public KeyStore trustStore() {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setCertificateEntry("bench-ca", ca);
      return ks;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private TrustManagerFactory trustManagerFactory() {
    try {
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trustStore());
      return tmf;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (process == null || !process.isAlive()) {
      return;
    }
    try {
      process.getOutputStream().close();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
