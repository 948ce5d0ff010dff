package dev.guise.tls.bouncycastle.internal;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.FingerprintOffer;
import dev.guise.api.NegotiatedTls;
import dev.guise.api.PoolAction;
import dev.guise.api.TlsConnectRequest;
import dev.guise.api.TlsConnection;
import dev.guise.codec.io.PooledBufferedInputStream;
import dev.guise.fingerprint.BrowserProfiles;
import dev.guise.fingerprint.ClientHello;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
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
 * which has ML-KEM on every JDK and needs no security provider registered, with the compact AES-GCM
 * multiplier of {@link CompactGcmTlsCrypto}) is shared.
 */
public final class BcConnector {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final BcTlsCrypto CRYPTO = new CompactGcmTlsCrypto(RANDOM);

  private final List<NamedHello> profiles;

  /** The crypto every connection of this engine uses (tests check what it is). */
  static BcTlsCrypto crypto() {
    return CRYPTO;
  }

  private BcConnector(List<NamedHello> profiles) {
    this.profiles = List.copyOf(profiles);
  }

  /** Holds the built-in profiles, built on first use (discovery must stay cheap). */
  private static final class BuiltIn {
    static final BcConnector INSTANCE =
        new BcConnector(
                BrowserProfiles.all().stream().map(p -> NamedHello.builtIn(p, CRYPTO)).toList());
  }

  /** The browser profiles of {@code dev.guise.fingerprint.BrowserProfiles} (Chrome 156, Firefox 153). */
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
    for (NamedHello p : profiles) {
      if (p.answersTo(name)) {
        throw new IllegalArgumentException("profile name '" + name + "' is already taken");
      }
    }
    List<NamedHello> all = new ArrayList<>(profiles);
    all.add(NamedHello.captured(name, capture, CRYPTO));
    return new BcConnector(all);
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
    return profiles.stream().map(NamedHello::offer).toList();
  }

  /** The template a profile sends, for tests in this package. */
  Optional<NamedHello> profile(String name) {
    return profiles.stream().filter(p -> p.answersTo(name)).findFirst();
  }

  /** Performs the handshake; see {@code TlsEngine.connect}. */
  public TlsConnection connect(Socket socket, TlsConnectRequest request) throws IOException {
    GuiseTlsClient client = null;
    boolean done = false;
    try {
      NamedHello profile =
          profile(request.profile())
              .orElseThrow(
                  () ->
                      new ClassifiedIOException(
                          FailureKind.INVALID_REQUEST, false, PoolAction.DISCARD_CONNECTION,
                          "the bouncycastle engine has no profile '" + request.profile() + "'; it offers "
                              + profiles.stream().map(p -> p.name).toList(),
                          null));
      Optional<String> unavailable = unavailableReason();
      if (unavailable.isPresent()) {
        throw new IllegalStateException("the bouncycastle engine cannot run: " + unavailable.get());
      }
      HelloTemplate template = profile.template;
      List<String> alpn = request.alpn().isEmpty() ? template.alpn : request.alpn();
      if (!request.alpn().isEmpty() && !template.has(ClientHello.EXT_ALPN)) {
        throw new ClassifiedIOException(
            FailureKind.INVALID_REQUEST, false, PoolAction.DISCARD_CONNECTION,
            "profile " + profile.name + " sends no ALPN extension; cannot offer " + request.alpn(), null);
      }
      String host = request.endpoint().host();
      String normalised = HostnameMatcher.normalise(host);
      // Browsers send no SNI for an IP literal (RFC 6066 forbids it).
      String serverName = HostnameMatcher.isIpLiteral(normalised) ? null : normalised;
      HelloPlan plan = new HelloPlan(template, serverName, alpn, RANDOM);
      ServerCertificateVerifier verifier = new ServerCertificateVerifier(request.trust(), host);
      client = new GuiseTlsClient(CRYPTO, template, plan, verifier);

      long deadline = System.nanoTime() + request.handshakeTimeout().toNanos();
      DeadlineInputStream timed = new DeadlineInputStream(socket, deadline);
      // Records are read through a buffer borrowed from the shared pool while bytes are in flight
      // (a whole record fits one); an idle connection holds none.
      PooledBufferedInputStream buffered = new PooledBufferedInputStream(timed, false);
      GuiseClientProtocol protocol = new GuiseClientProtocol(buffered, socket.getOutputStream());
      protocol.connect(client);
      timed.clearDeadline();
      // Until the owner sets its own, reads are bounded by the handshake timeout (never unbounded).
      socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, request.handshakeTimeout().toMillis())));

      SecurityParameters parameters = protocol.securityParameters();
      ProtocolName alpnSelected = parameters.getApplicationProtocol();
      String protocolName = protocolName(parameters.getNegotiatedVersion());
      NegotiatedTls negotiated =
          new NegotiatedTls(
              protocolName,
              cipherSuiteName(parameters.getCipherSuite()),
              Optional.ofNullable(alpnSelected).map(ProtocolName::getUtf8Decoding),
              Optional.ofNullable(client.negotiatedGroupName()),
              verifier.chain(),
              profile.name,
              dev.guise.api.Fidelity.EXACT);
      BcTlsConnection connection = new BcTlsConnection(socket, buffered, protocol, negotiated);
      done = true;
      return connection;
    } catch (IOException | RuntimeException e) {
      throw classify(e, client, request);
    } finally {
      if (!done) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // the failure being reported matters more
        }
      }
    }
  }

  private static final class CipherSuiteNames {
    static final java.util.Map<Integer, String> BY_VALUE = byValue();

    private static java.util.Map<Integer, String> byValue() {
      java.util.Map<Integer, String> out = new java.util.HashMap<>();
      // BouncyCastle's constants are named by their IANA names.
      for (java.lang.reflect.Field f : CipherSuite.class.getFields()) {
        if (f.getType() == int.class && java.lang.reflect.Modifier.isStatic(f.getModifiers())
            && f.getName().startsWith("TLS_")) {
          try {
            out.putIfAbsent(f.getInt(null), f.getName());
          } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
          }
        }
      }
      return java.util.Map.copyOf(out);
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

  private static IOException classifyIo(IOException e, GuiseTlsClient client, TlsConnectRequest request) {
    if (e instanceof ClassifiedIOException) {
      return e;
    }
    String where = "TLS handshake with " + request.endpoint();
    if (client != null && client.certificateFailure() != null) {
      CertificateRejectedException rejected = client.certificateFailure();
      // The site's misconfiguration (or an attack on the path), not a block of this IP: the
      // connection goes, the IP keeps its standing, and retrying cannot change the certificate.
      return new ClassifiedIOException(
          FailureKind.CERTIFICATE, false, PoolAction.DISCARD_CONNECTION,
          where + ": " + rejected.getMessage(), rejected);
    }
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof SocketTimeoutException) {
        SocketTimeoutException timeout =
            new SocketTimeoutException(where + " timed out after " + request.handshakeTimeout());
        timeout.initCause(e);
        return timeout;
      }
      if (c instanceof InterruptedIOException && !(c instanceof SocketTimeoutException)) {
        return (IOException) c;
      }
    }
    if (e instanceof TlsFatalAlertReceived received) {
      return new ClassifiedIOException(
          FailureKind.TLS_HANDSHAKE, true, PoolAction.DISCARD_CONNECTION,
          where + ": the server sent alert " + AlertDescription.getText(received.getAlertDescription()), e);
    }
    if (e instanceof TlsFatalAlert alert) {
      return new ClassifiedIOException(
          FailureKind.TLS_HANDSHAKE, true, PoolAction.DISCARD_CONNECTION,
          where + " failed: " + AlertDescription.getText(alert.getAlertDescription())
              + (alert.getMessage() == null ? "" : " (" + alert.getMessage() + ")"), e);
    }
    return e; // connection reset, EOF: plain I/O failures the pool's classifier places
  }

  private static IOException classify(Exception e, GuiseTlsClient client, TlsConnectRequest request) {
    if (e instanceof IOException io) {
      return classifyIo(io, client, request);
    }
    if (e instanceof IllegalStateException && e.getMessage() != null
        && e.getMessage().contains("cannot run")) {
      throw (IllegalStateException) e;
    }
    return new ClassifiedIOException(
        FailureKind.TLS_HANDSHAKE, false, PoolAction.DISCARD_CONNECTION,
        "TLS handshake with " + request.endpoint() + " failed inside the engine: " + e, e);
  }
}
