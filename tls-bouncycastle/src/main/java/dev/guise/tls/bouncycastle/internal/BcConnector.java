package dev.guise.tls.bouncycastle.internal;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.Fidelity;
import dev.guise.api.FingerprintOffer;
import dev.guise.api.NegotiatedTls;
import dev.guise.api.PoolAction;
import dev.guise.api.TlsConnectRequest;
import dev.guise.api.TlsConnection;
import dev.guise.api.TlsEndpoint;
import dev.guise.codec.io.DeadlineGuard;
import dev.guise.codec.io.PooledBufferedInputStream;
import dev.guise.fingerprint.BrowserProfiles;
import dev.guise.fingerprint.ClientHello;
import dev.guise.tls.bouncycastle.internal.crypto.HybridTlsCrypto;
import dev.guise.tls.bouncycastle.internal.crypto.OneX25519Key;
import dev.guise.tls.support.HostNames;
import dev.guise.tls.support.ServerTrust;
import dev.guise.tls.support.TlsFailures;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.ProtocolName;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * The engine behind {@code dev.guise.tls.bouncycastle.BouncyCastleEngine}: its profiles and the
 * handshake. Immutable and thread-safe; the crypto (BouncyCastle's lightweight {@link BcTlsCrypto},
 * which has ML-KEM on every JDK and needs no security provider registered, with the records'
 * AES-GCM done by the JDK: {@link HybridTlsCrypto}) is shared, except by the handshakes of a
 * browser that sends one X25519 key twice ({@link #cryptoFor}).
 */
public final class BcConnector {
  private static final SecureRandom RANDOM = new SecureRandom();
  // Records' AES-GCM through the JDK's intrinsics (HybridTlsCrypto); BouncyCastle's own GCM, with
  // the compact table, only where the JDK has no AES-GCM.
  private static final boolean JDK_GCM = HybridTlsCrypto.jdkGcmAvailable();
  private static final BcTlsCrypto CRYPTO = newCrypto(null);

  /** The profiles of the shared catalogue, followed as it grows. */
  private static final CatalogueHellos CATALOGUE = new CatalogueHellos(CRYPTO);

  /** The profiles added to this engine alone ({@link #withCapture}), after the catalogue's. */
  private final List<NamedHello> captured;

  private final TicketCache tickets;

  /** The catalogue's hellos and, after them, {@link #captured}: one list per catalogue list. */
  private record Offered(List<NamedHello> catalogue, List<NamedHello> all) {}

  /**
   * What {@link #hellos()} last joined. Racing handshakes may each join and store an equal list;
   * the last store wins and either is right, so no lock.
   */
  private volatile Offered offered = new Offered(List.of(), List.of());

  /** The crypto connections share (tests check what it is). */
  static BcTlsCrypto crypto() {
    return CRYPTO;
  }

  private static BcTlsCrypto newCrypto(OneX25519Key oneX25519Key) {
    return JDK_GCM
        ? new HybridTlsCrypto(RANDOM, oneX25519Key)
        : new CompactGcmTlsCrypto(RANDOM, oneX25519Key);
  }

  /**
   * The crypto of one handshake of {@code template}: the shared one, or, for a browser that sends
   * one X25519 key in both its X25519 shares (Firefox), one of its own that does the same.
   */
  static BcTlsCrypto cryptoFor(HelloTemplate template) {
    return template.oneX25519Key ? newCrypto(new OneX25519Key()) : CRYPTO;
  }

  private BcConnector(List<NamedHello> captured, TicketCache tickets) {
    this.captured = List.copyOf(captured);
    this.tickets = tickets;
  }

  /** This engine with its own, empty ticket cache on {@code clock} (tests move the clock). */
  BcConnector withTicketClock(InstantSource clock) {
    return new BcConnector(captured, new TicketCache(clock));
  }

  /** Every profile offered now: the catalogue's that the engine can send, then the captured. */
  private List<NamedHello> hellos() {
    List<NamedHello> catalogue = CATALOGUE.hellos();
    if (captured.isEmpty()) {
      return catalogue;
    }
    // The catalogue hands out the same list until it changes, so identity says "unchanged" and a
    // captured engine's handshake does not copy every profile's hello either.
    Offered o = offered;
    if (o.catalogue() != catalogue) {
      List<NamedHello> all = new ArrayList<>(catalogue);
      all.addAll(captured);
      o = new Offered(catalogue, List.copyOf(all));
      offered = o;
    }
    return o.all();
  }

  /** The tickets this engine holds (tests). */
  TicketCache tickets() {
    return tickets;
  }

  /** Holds the engine of the catalogue's profiles, made on first use (discovery stays cheap). */
  private static final class BuiltIn {
    static final BcConnector INSTANCE =
        new BcConnector(List.of(), new TicketCache(InstantSource.system()));
  }

  /**
   * The browser profiles of {@link BrowserProfiles} (Chrome 156, Firefox 153, and whatever packs,
   * files and registrations add, also after this engine's first use), except any this engine cannot
   * send exactly: asking for one fails naming what it cannot produce.
   */
  public static BcConnector builtIn() {
    return BuiltIn.INSTANCE;
  }

  /**
   * This engine plus a profile named {@code name} that sends what {@code capture} sent.
   *
   * @throws IllegalArgumentException when the capture is malformed or unsupported (naming the
   *     extension), or the name is taken
   */
  public BcConnector withCapture(String name, byte[] capture) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a captured profile needs a name");
    }
    for (NamedHello p : hellos()) {
      if (p.answersTo(name)) {
        throw new IllegalArgumentException("profile name '" + name + "' is already taken");
      }
    }
    List<NamedHello> all = new ArrayList<>(captured);
    all.add(NamedHello.captured(name, capture, CRYPTO));
    return new BcConnector(all, tickets);
  }

  /** Why the engine cannot run here, or empty. */
  public static Optional<String> unavailableReason() {
    Optional<String> internals = BcInternals.check();
    if (internals.isPresent()) {
      return internals;
    }
    if (!HelloTemplate.canProduce(CRYPTO, NamedGroup.X25519MLKEM768)) {
      return Optional.of("BouncyCastle's crypto cannot produce X25519MLKEM768 key shares");
    }
    return Optional.empty();
  }

  public List<FingerprintOffer> offers() {
    return hellos().stream().map(NamedHello::offer).toList();
  }

  /** Why the catalogue's profile {@code name} cannot be sent (see {@code TlsEngine#refusal}). */
  public Optional<String> refusal(String name) {
    return CATALOGUE.refusal(name);
  }

  /** The hello a profile name selects, for tests in this package. */
  Optional<NamedHello> namedHello(String name) {
    for (NamedHello p : CATALOGUE.hellos()) {
      if (p.answersTo(name)) {
        return Optional.of(p);
      }
    }
    for (NamedHello p : captured) {
      if (p.answersTo(name)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Performs the handshake; see {@code TlsEngine.connect}. */
  public TlsConnection connect(Socket socket, TlsConnectRequest request) throws IOException {
    Optional<String> unavailable = unavailableReason();
    if (unavailable.isPresent()) {
      closeQuietly(socket);
      throw new IllegalStateException("the bouncycastle engine cannot run: " + unavailable.get());
    }
    GuiseTlsClient client = null;
    boolean done = false;
    // Each read is bounded by the socket timeout; the guard bounds the whole handshake (a peer
    // dripping bytes) and its writes (a peer that does not read).
    DeadlineGuard guard = DeadlineGuard.closeAfter(request.handshakeTimeout(), socket);
    try {
      NamedHello hello =
          namedHello(request.profile())
              .orElseThrow(
                  () ->
                      new ClassifiedIOException(
                          FailureKind.INVALID_REQUEST,
                          false,
                          PoolAction.DISCARD_CONNECTION,
                          CATALOGUE
                              .refusal(request.profile())
                              .map(
                                  why ->
                                      "the bouncycastle engine cannot send profile '"
                                          + request.profile()
                                          + "': "
                                          + why)
                              .orElseGet(
                                  () ->
                                      "the bouncycastle engine has no profile '"
                                          + request.profile()
                                          + "'; it offers "
                                          + hellos().stream().map(p -> p.name).toList()),
                          null));
      HelloTemplate template = hello.template;
      List<String> alpn = request.alpn().isEmpty() ? template.alpn : request.alpn();
      if (!request.alpn().isEmpty() && !template.has(ClientHello.EXT_ALPN)) {
        throw new ClassifiedIOException(
            FailureKind.INVALID_REQUEST,
            false,
            PoolAction.DISCARD_CONNECTION,
            "profile " + hello.name + " sends no ALPN extension; cannot offer " + request.alpn(),
            null);
      }
      String host = request.endpoint().host();
      // Browsers send no SNI for an IP literal (RFC 6066 forbids it).
      String serverName = HostNames.serverName(host).orElse(null);
      // Resumption where the profile's browser resumes (its resumed hello was captured) and the
      // request allows it; the ticket is taken now, so it is used once whatever the server says.
      Resumption resumption = null;
      if (request.resumption() && template.resumed.isPresent()) {
        TicketCache.Key key =
            new TicketCache.Key(
                hello.name,
                request.sessionScope(),
                host.toLowerCase(Locale.ROOT),
                request.endpoint().port());
        resumption = new Resumption(tickets, key, CRYPTO, tickets.take(key).orElse(null));
      }
      ResumptionTicket offered = resumption == null ? null : resumption.offered();
      HelloPlan plan = new HelloPlan(template, serverName, alpn, RANDOM, offered != null);
      ServerCertificateVerifier verifier =
          new ServerCertificateVerifier(ServerTrust.forPolicy(request.trust()), host);
      client = new GuiseTlsClient(cryptoFor(template), template, plan, verifier, offered);

      // Until the owner sets its own, reads are bounded by the handshake timeout (never unbounded).
      socket.setSoTimeout(
          (int) Math.max(1, Math.min(Integer.MAX_VALUE, request.handshakeTimeout().toMillis())));
      // Records are read through a buffer borrowed from the shared pool while bytes are in flight
      // (a whole record fits one); an idle connection holds none.
      // The records of a flight go out together (FlightCoalescer): the ClientHello when the
      // handshake reads, the last flight with the owner's first bytes.
      FlightCoalescer output = new FlightCoalescer(socket.getOutputStream());
      PooledBufferedInputStream buffered =
          new PooledBufferedInputStream(output.sendingBeforeReads(socket.getInputStream()), false);
      GuiseClientProtocol protocol = new GuiseClientProtocol(buffered, output);
      protocol.connect(client, resumption);
      output.handshakeDone();
      guard.close();
      if (guard.fired()) {
        throw new SocketTimeoutException("handshake deadline passed");
      }

      SecurityParameters parameters = protocol.securityParameters();
      ProtocolName alpnSelected = parameters.getApplicationProtocol();
      String protocolName = protocolName(parameters.getNegotiatedVersion());
      NegotiatedTls negotiated =
          new NegotiatedTls(
              protocolName,
              cipherSuiteName(parameters.getCipherSuite()),
              Optional.ofNullable(alpnSelected).map(ProtocolName::getUtf8Decoding),
              Optional.ofNullable(client.negotiatedGroupName()),
              client.serverChain(),
              hello.name,
              Fidelity.EXACT);
      BcTlsConnection connection =
          new BcTlsConnection(
              socket, buffered, output, protocol, negotiated, client.ticketAccepted());
      done = true;
      return connection;
    } catch (IOException | RuntimeException e) {
      throw classify(e, client, request, guard.fired());
    } finally {
      guard.close();
      if (!done) {
        closeQuietly(socket);
      }
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // the failure being reported matters more
    }
  }

  private static final class CipherSuiteNames {
    static final Map<Integer, String> BY_VALUE = byValue();

    private static Map<Integer, String> byValue() {
      Map<Integer, String> out = new HashMap<>();
      // BouncyCastle's constants are named by their IANA names.
      for (Field f : CipherSuite.class.getFields()) {
        if (f.getType() == int.class
            && Modifier.isStatic(f.getModifiers())
            && f.getName().startsWith("TLS_")) {
          try {
            out.putIfAbsent(f.getInt(null), f.getName());
          } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
          }
        }
      }
      return Map.copyOf(out);
    }
  }

  /** The IANA name of a cipher suite, or its hex value. */
  static String cipherSuiteName(int suite) {
    String name = CipherSuiteNames.BY_VALUE.get(suite);
    return name != null ? name : String.format("0x%04x", suite);
  }

  /** The JSSE name ({@code TLSv1.3}) of a version. */
  static String protocolName(ProtocolVersion version) {
    if (ProtocolVersion.TLSv13.equals(version)) {
      return "TLSv1.3";
    }
    if (ProtocolVersion.TLSv12.equals(version)) {
      return "TLSv1.2";
    }
    if (ProtocolVersion.TLSv11.equals(version)) {
      return "TLSv1.1";
    }
    return ProtocolVersion.TLSv10.equals(version) ? "TLSv1" : version.toString();
  }

  /**
   * The failure of a handshake, classified like every engine's ({@link TlsFailures}): by the
   * certificate failure this connection's verifier recorded, the deadline guard, the exception's
   * type and causes, and BouncyCastle's own alert exceptions, never by message text.
   */
  private static IOException classify(
      Exception e, GuiseTlsClient client, TlsConnectRequest request, boolean deadlinePassed) {
    TlsEndpoint endpoint = request.endpoint();
    if (e instanceof ClassifiedIOException classified) {
      return classified;
    }
    if (client != null && client.certificateFailure() != null) {
      CertificateException rejected = client.certificateFailure();
      return TlsFailures.certificateRejected(endpoint, rejected.getMessage(), rejected);
    }
    if (deadlinePassed) {
      return TlsFailures.timedOut(endpoint, request.handshakeTimeout(), e);
    }
    if (!(e instanceof IOException io)) {
      return new ClassifiedIOException(
          FailureKind.TLS_HANDSHAKE,
          false,
          PoolAction.DISCARD_CONNECTION,
          "TLS handshake with " + endpoint + " failed inside the engine: " + e,
          e);
    }
    IOException classified = TlsFailures.classify(io, endpoint, request.handshakeTimeout());
    if (classified != io) {
      return classified;
    }
    if (io instanceof TlsFatalAlertReceived received) {
      return TlsFailures.handshakeFailed(
          endpoint,
          "the server sent alert " + AlertDescription.getText(received.getAlertDescription()),
          io);
    }
    if (io instanceof TlsFatalAlert alert) {
      return TlsFailures.handshakeFailed(
          endpoint,
          AlertDescription.getText(alert.getAlertDescription())
              + (alert.getMessage() == null ? "" : " (" + alert.getMessage() + ")"),
          io);
    }
    return io; // connection reset, EOF: plain I/O failures the pool's classifier places
  }
}
