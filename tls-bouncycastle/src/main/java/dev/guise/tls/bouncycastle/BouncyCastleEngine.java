package dev.guise.tls.bouncycastle;

import dev.guise.api.FingerprintOffer;
import dev.guise.api.TlsConnectRequest;
import dev.guise.api.TlsConnection;
import dev.guise.api.spi.TlsEngine;
import dev.guise.tls.bouncycastle.internal.BcConnector;
import java.io.IOException;
import java.net.Socket;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code bouncycastle} TLS engine: browser-exact ClientHellos on stock BouncyCastle (bctls
 * 1.84), with BouncyCastle doing the real cryptography.
 *
 * <p>Profiles: {@code chrome-156} (alias {@code chrome}) and {@code firefox-153} (alias {@code
 * firefox}), each the reference capture field by field, randomised where the browser randomises
 * (Chrome's extension permutation, GREASE values and ECH GREASE length; Firefox's ECH GREASE AEAD).
 * {@link #withCapturedProfile} adds a profile that sends what a captured ClientHello sent.
 *
 * <p>What the hello obliges the client to handle is handled: compressed certificates (brotli, zlib,
 * zstd), ALPS settings when a server negotiates ALPS, HelloRetryRequest, TLS 1.2 servers.
 * Certificates are verified as {@link dev.guise.api.TrustPolicy} says (chain via the JDK's PKIX,
 * host name by RFC 6125 against the requested host); rejections are {@link
 * dev.guise.api.ClassifiedIOException}s of kind {@code CERTIFICATE}.
 *
 * <p>On the module path the engine needs {@code --add-opens
 * org.bouncycastle.tls/org.bouncycastle.tls=dev.guise.tls.bouncycastle} (it writes the ClientHello
 * through two package-private BouncyCastle members); {@link #unavailableReason()} says so when the
 * flag is missing. On the class path nothing is needed.
 *
 * <p>Immutable and thread-safe; {@link #connect} blocks for at most the request's handshake
 * timeout. Construction is cheap: profiles are loaded on first use.
 */
public final class BouncyCastleEngine implements TlsEngine {
  /** The engine's name, as {@link dev.guise.api.spi.Providers#tlsEngine(String)} looks it up. */
  public static final String NAME = "bouncycastle";

  private final BcConnector core; // null: the built-in profiles, loaded lazily

  /** The engine with the built-in browser profiles. */
  public BouncyCastleEngine() {
    this(null);
  }

  private BouncyCastleEngine(BcConnector core) {
    this.core = core;
  }

  private BcConnector core() {
    return core != null ? core : BcConnector.builtIn();
  }

  /**
   * A copy of this engine that also offers a profile named {@code name} sending what {@code
   * clientHello} sent: the same cipher suites, extensions (order and content), groups and so on,
   * with the client random, session id, key shares, GREASE values and ECH GREASE bytes made fresh
   * for each connection, the server name and ALPN taken from the request, and padding recomputed.
   *
   * @param clientHello a captured ClientHello: TLS record(s) starting with 0x16, or the bare
   *     handshake message starting with 0x01
   * @throws IllegalArgumentException when the bytes are not a well-formed ClientHello, or carry
   *     something this engine cannot send and honour (the message names the extension, for example
   *     {@code pre_shared_key}), or the name is taken
   */
  public BouncyCastleEngine withCapturedProfile(String name, byte[] clientHello) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(clientHello, "clientHello");
    return new BouncyCastleEngine(core().withCapture(name, clientHello.clone()));
  }

  /**
   * Like {@link #withCapturedProfile(String, byte[])} for hex text (white space and colons
   * ignored).
   */
  public BouncyCastleEngine withCapturedProfileHex(String name, String hex) {
    String digits = Objects.requireNonNull(hex, "hex").replaceAll("[\\s:]", "");
    if (digits.startsWith("0x") || digits.startsWith("0X")) {
      digits = digits.substring(2);
    }
    return withCapturedProfile(name, HexFormat.of().parseHex(digits));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<FingerprintOffer> offers() {
    return core().offers();
  }

  @Override
  public Optional<String> refusal(String profile) {
    return core().refusal(profile);
  }

  @Override
  public Optional<String> unavailableReason() {
    return BcConnector.unavailableReason();
  }

  @Override
  public TlsConnection connect(Socket socket, TlsConnectRequest request) throws IOException {
    return core().connect(socket, request);
  }
}
