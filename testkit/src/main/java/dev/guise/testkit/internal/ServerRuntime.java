package dev.guise.testkit.internal;

import dev.guise.fingerprint.ClientHello;
import dev.guise.testkit.ConnectionRecord;
import dev.guise.testkit.Fault;
import dev.guise.testkit.TestRequest;
import dev.guise.testkit.TestResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The running part of a test server: listeners, connections, threads, counters and faults.
 *
 * <p>Every thread it starts is a virtual thread registered in {@link #threads}, so that stop can
 * interrupt and join all of them and tests can check nothing is left behind. Lifecycle methods are
 * serialised on {@link #lifecycle}.
 */
public final class ServerRuntime {
  private static final int MAX_CLIENT_HELLO_BYTES = 64 * 1024;
  private static final int BIND_ATTEMPTS = 50;
  private static final long STOP_JOIN_MILLIS = 5_000;
  private static final long REAPER_PERIOD_MILLIS = 20;

  /** The fatal alert record sent by a TLS_ALERT fault: TLS 1.2 record, alert handshake_failure. */
  private static final byte[] HANDSHAKE_FAILURE_ALERT = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28};

  /** The same record with alert no_application_protocol (120, RFC 7301 section 3.2). */
  private static final byte[] NO_APPLICATION_PROTOCOL_ALERT = {
    0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x78
  };

  private final ServerConfig config;
  private final SSLSocketFactory socketFactory;
  private final FaultTable faults;
  private final Object lifecycle = new Object();
  private final Map<InetAddress, ServerSocket> listeners = new LinkedHashMap<>();
  private final Map<ServerSocket, Thread> acceptThreads = new ConcurrentHashMap<>();
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
  private final Set<LiveConnection> open = ConcurrentHashMap.newKeySet();

  /** The latest connections' records, oldest first; at most config.recordedConnections(). */
  private final ArrayDeque<ConnectionLog> records = new ArrayDeque<>();

  private final AtomicLong nextConnectionId = new AtomicLong(1);
  private final Map<InetAddress, LongAdder> accepted = new ConcurrentHashMap<>();
  private final Map<InetAddress, LongAdder> requests = new ConcurrentHashMap<>();
  private int port;
  private boolean up;
  private boolean started;
  private boolean stopped;
  private Thread reaper;

  public ServerRuntime(ServerConfig config) {
    this.config = config;
    this.socketFactory = config.sslContext().getSocketFactory();
    this.port = config.port();
    this.faults = new FaultTable(this::reconcileListeners);
  }

  public FaultTable faults() {
    return faults;
  }

  public ServerConfig config() {
    return config;
  }

  public int port() {
    synchronized (lifecycle) {
      return port;
    }
  }

  public boolean isUp() {
    synchronized (lifecycle) {
      return up;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Lifecycle

  /** Binds every address on one port and starts accepting. */
  public void start() throws IOException {
    synchronized (lifecycle) {
      if (stopped) {
        throw new IllegalStateException("server was stopped; build a new one");
      }
      if (started) {
        throw new IllegalStateException("already started");
      }
      bindAllOnOnePort();
      started = true;
      up = true;
      reaper = spawn("testkit-reaper", this::reapIdleConnections);
    }
    // REFUSE rules installed before start close their listeners now.
    reconcileListeners();
  }

  /** The server goes away: listeners unbound, every connection closed. Port and addresses kept. */
  public void down() {
    synchronized (lifecycle) {
      if (!up) {
        return;
      }
      up = false;
      faults.count(Fault.Kind.DOWN);
      closeListeners();
    }
    closeConnections();
  }

  /** The server comes back on the same addresses and port. */
  public void up() throws IOException {
    synchronized (lifecycle) {
      if (stopped || !started) {
        throw new IllegalStateException("server is not started");
      }
      if (up) {
        return;
      }
      up = true;
    }
    reconcileListeners();
  }

  /** Closes everything and joins every thread (bounded). Idempotent. */
  public void stop() {
    Thread reaperThread;
    synchronized (lifecycle) {
      if (stopped) {
        return;
      }
      stopped = true;
      up = false;
      closeListeners();
      reaperThread = reaper;
    }
    closeConnections();
    if (reaperThread != null) {
      reaperThread.interrupt();
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_JOIN_MILLIS);
    for (Thread t : List.copyOf(threads)) {
      t.interrupt();
    }
    for (Thread t : List.copyOf(threads)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      try {
        t.join(Duration.ofNanos(left));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
  }

  private void bindAllOnOnePort() throws IOException {
    IOException last = null;
    for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
      int candidate = config.port();
      try {
        for (InetAddress address : config.addresses()) {
          ServerSocket ss = bind(address, candidate);
          candidate = ss.getLocalPort();
          listeners.put(address, ss);
        }
        port = candidate;
        for (Map.Entry<InetAddress, ServerSocket> e : listeners.entrySet()) {
          startAccepting(e.getKey(), e.getValue());
        }
        return;
      } catch (BindException e) {
        // The port the first address got is taken on another one: start over with a new port.
        last = e;
        closeListeners();
        if (config.port() != 0) {
          break;
        }
      }
    }
    throw new BindException(
        "cannot bind "
            + config.addresses().size()
            + " addresses on one port: "
            + (last == null ? "" : last.getMessage()));
  }

  private static ServerSocket bind(InetAddress address, int port) throws IOException {
    ServerSocket ss = new ServerSocket();
    try {
      // Reuse lets up() rebind the port at once although closed connections are in TIME_WAIT.
      ss.setReuseAddress(true);
      ss.bind(new InetSocketAddress(address, port), 128);
      return ss;
    } catch (IOException e) {
      ss.close();
      throw e;
    }
  }

  /**
   * Binds again an address whose listener was just closed. Even after its accept thread has left,
   * the kernel can hold the port for a moment (seen once in a few hundred rebinds under load), so
   * "address in use" is retried for up to two seconds before it is an error.
   */
  private static ServerSocket rebind(InetAddress address, int port) throws IOException {
    long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    while (true) {
      try {
        return bind(address, port);
      } catch (BindException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private void closeListeners() {
    for (ServerSocket ss : listeners.values()) {
      closeListener(ss);
    }
    listeners.clear();
  }

  /**
   * Closes a listener and waits for its accept thread: a socket closed while a thread is blocked in
   * accept keeps its file descriptor (and the port) until that thread has left accept, and an
   * immediate rebind (up(), removing a REFUSE rule) would fail with "address in use".
   */
  private void closeListener(ServerSocket ss) {
    try {
      ss.close();
    } catch (IOException ignored) {
      // Closing is all we wanted.
    }
    Thread acceptor = acceptThreads.remove(ss);
    if (acceptor != null && acceptor != Thread.currentThread()) {
      try {
        acceptor.join(Duration.ofSeconds(2));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void closeConnections() {
    for (LiveConnection c : List.copyOf(open)) {
      c.close();
    }
  }

  /** Makes the set of bound listeners what "up" and the REFUSE rules say it should be. */
  void reconcileListeners() {
    synchronized (lifecycle) {
      if (!started || stopped) {
        return;
      }
      for (InetAddress address : config.addresses()) {
        boolean wanted = up && !faults.refuses(address);
        ServerSocket current = listeners.get(address);
        if (wanted && current == null) {
          try {
            ServerSocket ss = rebind(address, port);
            listeners.put(address, ss);
            startAccepting(address, ss);
          } catch (IOException e) {
            throw new IllegalStateException("cannot rebind " + address + ":" + port, e);
          }
        } else if (!wanted && current != null) {
          listeners.remove(address);
          closeListener(current);
          if (up) {
            faults.refused(address);
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Threads

  Thread spawn(String name, Runnable task) {
    Thread[] self = new Thread[1];
    Thread t =
        Thread.ofVirtual()
            .name(name)
            .unstarted(
                () -> {
                  try {
                    task.run();
                  } finally {
                    threads.remove(self[0]);
                  }
                });
    self[0] = t;
    threads.add(t);
    t.start();
    return t;
  }

  /** Threads the server started that have not finished. */
  public int liveThreads() {
    int n = 0;
    for (Thread t : threads) {
      if (t.isAlive()) {
        n++;
      }
    }
    return n;
  }

  public int openConnections() {
    return open.size();
  }

  private void startAccepting(InetAddress address, ServerSocket ss) {
    acceptThreads.put(
        ss, spawn("testkit-accept-" + address.getHostAddress(), () -> acceptLoop(ss)));
  }

  private void acceptLoop(ServerSocket ss) {
    while (!ss.isClosed()) {
      Socket socket;
      try {
        socket = ss.accept();
      } catch (IOException e) {
        return; // closed by down(), stop() or a REFUSE rule
      }
      synchronized (lifecycle) {
        if (!up) {
          closeQuietly(socket);
          continue;
        }
      }
      long id = nextConnectionId.getAndIncrement();
      ConnectionLog log =
          new ConnectionLog(
              id,
              (InetSocketAddress) socket.getRemoteSocketAddress(),
              (InetSocketAddress) socket.getLocalSocketAddress());
      synchronized (records) {
        if (records.size() == config.recordedConnections()) {
          records.removeFirst(); // a long-running server keeps the latest, not every one
        }
        records.addLast(log);
      }
      accepted.computeIfAbsent(socket.getLocalAddress(), a -> new LongAdder()).increment();
      LiveConnection connection = new LiveConnection(socket, log);
      open.add(connection);
      spawn("testkit-conn-" + id, () -> serve(connection));
    }
  }

  private void reapIdleConnections() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(REAPER_PERIOD_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
      for (LiveConnection c : open) {
        Optional<Duration> idle = faults.idleTimeout(c.local);
        if (idle.isPresent() && !c.isClosed() && c.idleLongerThan(idle.get().toNanos())) {
          faults.idleClosed(c.local);
          c.log.failure("closed by IDLE_CLOSE fault after " + idle.get());
          Runnable graceful = c.gracefulClose;
          if (graceful != null) {
            graceful.run();
          } else {
            c.close();
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // One connection

  private void serve(LiveConnection connection) {
    Socket raw = connection.raw;
    ConnectionLog log = connection.log;
    try {
      raw.setTcpNoDelay(true);
      raw.setSoTimeout((int) config.handshakeTimeout().toMillis());
      byte[] hello = ClientHelloReader.read(raw.getInputStream(), MAX_CLIENT_HELLO_BYTES);
      log.clientHello(hello);
      if (faults.tlsAlert(connection.local)) {
        OutputStream out = raw.getOutputStream();
        out.write(HANDSHAKE_FAILURE_ALERT);
        out.flush();
        log.failure("TLS_ALERT fault: sent a fatal handshake_failure alert");
        return;
      }
      Optional<String> noProtocol = refusedAlpn(log);
      if (noProtocol.isPresent()) {
        OutputStream out = raw.getOutputStream();
        out.write(NO_APPLICATION_PROTOCOL_ALERT);
        out.flush();
        log.failure("ALPN: " + noProtocol.get() + "; sent a fatal no_application_protocol alert");
        return;
      }
      SSLSocket tls =
          (SSLSocket) socketFactory.createSocket(raw, new ByteArrayInputStream(hello), true);
      SSLParameters params = tls.getSSLParameters();
      params.setApplicationProtocols(config.alpn().toArray(String[]::new));
      tls.setSSLParameters(params);
      tls.startHandshake();
      SSLSession session = tls.getSession();
      log.handshake(session.getProtocol(), session.getCipherSuite(), tls.getApplicationProtocol());
      connection.ready();
      raw.setSoTimeout((int) config.readTimeout().toMillis());
      if ("h2".equals(tls.getApplicationProtocol())) {
        new Http2Session(this, connection, tls).run();
      } else {
        new Http1Session(this, connection, tls).run();
      }
    } catch (IOException | RuntimeException e) {
      if (!connection.isClosed()) {
        log.failure(e.getClass().getSimpleName() + ": " + e.getMessage());
      }
    } finally {
      connection.close();
      log.markClosed();
      open.remove(connection);
    }
  }

  /**
   * Why the client's ALPN offer leaves no protocol to speak, or empty when there is one. RFC 7301
   * requires the alert when the client offers protocols and none is ours. A client that offers no
   * ALPN at all gets HTTP/1.1, the protocol one speaks without negotiating; a server configured
   * without HTTP/1.1 refuses it the same way rather than silently speaking a protocol it was told
   * not to. Decided here from the recorded ClientHello because the JDK's ALPN selector is never
   * consulted when the extension is absent. An unparsable ClientHello is left to the handshake.
   */
  private Optional<String> refusedAlpn(ConnectionLog log) {
    Optional<ClientHello> hello = log.clientHello();
    if (hello.isEmpty()) {
      return Optional.empty();
    }
    List<String> offered = hello.get().alpn();
    if (offered.isEmpty()) {
      return config.alpn().contains("http/1.1")
          ? Optional.empty()
          : Optional.of("client offered no ALPN and the server speaks only " + config.alpn());
    }
    for (String p : offered) {
      if (config.alpn().contains(p)) {
        return Optional.empty();
      }
    }
    return Optional.of("client offered " + offered + ", the server speaks only " + config.alpn());
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // Closing is all we wanted.
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Requests

  /**
   * What to do with one request: the fault that applies (null for none) and the response to send
   * (null when the fault means not answering).
   */
  record Decision(Fault fault, TestResponse response) {}

  Decision decide(TestRequest request) {
    InetAddress local = request.localAddress().getAddress();
    requests.computeIfAbsent(local, a -> new LongAdder()).increment();
    Optional<Fault> fault = faults.requestFault(local, request.path());
    if (fault.isPresent()) {
      Fault f = fault.get();
      switch (f.kind()) {
        case STATUS -> {
          TestResponse r =
              TestResponse.text(f.status(), "injected fault: status " + f.status() + "\n");
          if (f.retryAfterSeconds() >= 0) {
            r = r.withHeader("retry-after", Integer.toString(f.retryAfterSeconds()));
          }
          return new Decision(f, r);
        }
        case RESET -> {
          return new Decision(f, handle(request));
        }
        default -> {
          return new Decision(f, null);
        }
      }
    }
    return new Decision(null, handle(request));
  }

  private TestResponse handle(TestRequest request) {
    try {
      TestResponse r = config.handler().handle(request);
      if (r == null) {
        return TestResponse.text(500, "handler returned no response\n");
      }
      return r;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return TestResponse.text(503, "server stopping\n");
    } catch (Exception e) {
      return TestResponse.text(500, "handler failed: " + e + "\n");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Observations

  public List<ConnectionRecord> connections() {
    synchronized (records) {
      return List.copyOf(records);
    }
  }

  public long connectionsAccepted(InetAddress address) {
    LongAdder a = accepted.get(address);
    return a == null ? 0 : a.sum();
  }

  public long connectionsAccepted() {
    return accepted.values().stream().mapToLong(LongAdder::sum).sum();
  }

  public long requestsReceived(InetAddress address) {
    LongAdder a = requests.get(address);
    return a == null ? 0 : a.sum();
  }

  public long requestsReceived() {
    return requests.values().stream().mapToLong(LongAdder::sum).sum();
  }
}
