package dev.guise.tls.conscrypt;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.FingerprintOffer;
import dev.guise.api.PoolAction;
import dev.guise.api.TlsConnectRequest;
import dev.guise.api.TlsConnection;
import dev.guise.api.TlsEndpoint;
import dev.guise.api.TrustPolicy;
import dev.guise.api.spi.Providers;
import dev.guise.api.spi.TlsEngine;
import dev.guise.fingerprint.BrowserProfiles;
import dev.guise.tls.conscrypt.internal.ConscryptConnector;
import dev.guise.tls.conscrypt.internal.ConscryptHellos;
import dev.guise.tls.conscrypt.internal.ConscryptRuntime;
import dev.guise.tls.conscrypt.internal.HelloSettings;
import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The TLS engine named {@code conscrypt}: Conscrypt (BoringSSL), the cheapest full handshake Guise
 * has, with an honest account of how browser-like it looks.
 *
 * <p>Offers:
 *
 * <ul>
 *   <li>{@value #DEFAULT_PROFILE}, fidelity {@link dev.guise.api.Fidelity#NONE NONE}: Conscrypt's
 *       own ClientHello, with ALPN {@code h2, http/1.1}.
 *   <li>{@code chrome-156} (and its aliases), fidelity {@link dev.guise.api.Fidelity#APPROXIMATE
 *       APPROXIMATE}: Chrome's cipher suites in Chrome's order, Chrome's groups, ALPN and session
 *       tickets. The offer's note lists what still differs from Chrome (GREASE, extension order,
 *       certificate compression, ALPS, ECH GREASE, signature algorithms).
 * </ul>
 *
 * Each offer carries the JA4 this engine really sends (a fresh, non-resumed hello); the module's
 * tests capture the hello on the wire and fail if it drifts from the reported value.
 *
 * <p>Verification is always on unless the policy is {@link
 * TrustPolicy#dangerouslyTrustAnyCertificate()}: the chain against the policy's anchors (and the
 * JDK's trust store when the policy uses it), and the name by RFC 6125 rules against {@link
 * TlsEndpoint#host()} (SANs only; IP SANs for IP literals), never against the IP the socket is
 * connected to. The checks are the ones every Guise engine shares (the tls-support module).
 *
 * <p>Loading: nothing of Conscrypt is touched when this class is instantiated (discovery
 * instantiates every engine). {@link #unavailableReason()} loads Conscrypt and its native library
 * once and remembers the outcome, so a machine where it cannot load gets a clear error when the
 * engine is picked. Sessions are cached per trust policy, profile and session scope (direct, or one
 * per proxy exit: never offered through another), and resumed as browsers do; a resumed hello also
 * carries {@code pre_shared_key} and so has another JA4, as Chrome's does.
 *
 * <p>Thread-safe; one instance may serve any number of concurrent connects. {@link #connect} blocks
 * for at most the request's handshake timeout.
 */
public final class ConscryptEngine implements TlsEngine {
  /** The engine's name in configuration. */
  public static final String NAME = "conscrypt";

  /** The offer that presents Conscrypt's own ClientHello. */
  public static final String DEFAULT_PROFILE = ConscryptHellos.DEFAULT_PROFILE;

  /** Creates the engine; cheap (Conscrypt is loaded on first use). */
  public ConscryptEngine() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<FingerprintOffer> offers() {
    return ConscryptHellos.offers();
  }

  @Override
  public Optional<String> unavailableReason() {
    return ConscryptRuntime.unavailableReason();
  }

  @Override
  public TlsConnection connect(Socket socket, TlsConnectRequest request) throws IOException {
    Optional<HelloSettings> hello = ConscryptHellos.find(request.profile());
    if (hello.isEmpty()) {
      closeQuietly(socket);
      throw new ClassifiedIOException(
          FailureKind.INVALID_REQUEST,
          false,
          PoolAction.DISCARD_CONNECTION,
          cannotSend(request.profile()),
          null);
    }
    Optional<String> unavailable = ConscryptRuntime.unavailableReason();
    if (unavailable.isPresent()) {
      closeQuietly(socket);
      throw new IllegalStateException(
          "TLS engine '" + NAME + "' cannot be used on this machine: " + unavailable.get());
    }
    return ConscryptConnector.connect(socket, request, hello.get());
  }

  /**
   * Why a profile the catalogue holds is not offered. Conscrypt sends BoringSSL's own hello,
   * changed only where BoringSSL has a setting, so it approximates the one profile its hello was
   * measured against ({@link ConscryptHellos#CHROME_PROFILE}) and no other: its offers are fixed
   * when the class loads. A profile loaded or registered later (a profile file, a pack) is refused
   * with this reason, never sent as an approximation nobody measured.
   */
  @Override
  public Optional<String> refusal(String profile) {
    if (offer(profile).isPresent()
        || BrowserProfiles.all().stream().noneMatch(p -> p.answersTo(profile))) {
      return Optional.empty();
    }
    return Optional.of(
        "engine '"
            + NAME
            + "' sends BoringSSL's own hello and approximates only the profile it was measured"
            + " against, "
            + ConscryptHellos.CHROME_PROFILE
            + "; profile '"
            + profile
            + "' needs an engine that reproduces its captured hello");
  }

  /** The error for a profile this engine cannot send: which engines can, what this one offers. */
  private String cannotSend(String profile) {
    return cannotSendMessage(profile, offers(), Providers.tlsEngines())
        + refusal(profile).map(why -> " (" + why + ")").orElse("");
  }

  static String cannotSendMessage(
      String profile, List<FingerprintOffer> mine, List<TlsEngine> engines) {
    List<String> others = new ArrayList<>();
    for (TlsEngine engine : engines) {
      if (engine.name().equals(NAME)) {
        continue;
      }
      engine
          .offer(profile)
          .ifPresent(
              o ->
                  others.add(
                      engine.name() + " (" + o.fidelity().name().toLowerCase(Locale.ROOT) + ")"));
    }
    return "engine '"
        + NAME
        + "' cannot send profile '"
        + profile
        + "' (it offers "
        + String.join(", ", mine.stream().map(FingerprintOffer::profile).toList())
        + "); "
        + (others.isEmpty()
            ? "no installed TLS engine offers it"
            : "engines that can: " + String.join(", ", others));
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // the request is being refused; the refusal is what the caller needs to see
    }
  }
}
