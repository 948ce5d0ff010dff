package dev.guise.tls.bouncycastle.internal;

import dev.guise.fingerprint.ClientHello;
import dev.guise.fingerprint.TlsExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Hashtable;
import java.util.List;
import java.util.Vector;
import org.bouncycastle.tls.AbstractTlsClient;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.BasicTlsPSKExternal;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.ProtocolName;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.PskKeyExchangeMode;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsPSK;
import org.bouncycastle.tls.TlsPSKExternal;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.util.Integers;

/**
 * BouncyCastle's view of a browser profile: the versions, cipher suites, groups, key shares and
 * extensions of the template (without GREASE, which BouncyCastle must not try to negotiate), so
 * that it negotiates exactly what the hello Guise writes offers and accepts exactly the server
 * extensions that hello solicited.
 *
 * <p>The extension table given to BouncyCastle holds the same data Guise puts on the wire for every
 * extension BouncyCastle interprets (server_name, ALPN, groups, signature algorithms,
 * status_request, renegotiation_info, ...); BouncyCastle adds supported_versions, key_share and
 * extended_master_secret itself. The wire bytes come from {@link HelloPlan}.
 *
 * <p>One instance per connection; not thread-safe.
 */
final class GuiseTlsClient extends AbstractTlsClient {
  private final HelloTemplate template;
  private final HelloPlan plan;
  private final ServerCertificateVerifier verifier;
  private final ResumptionTicket offered; // null: no ticket offered
  private boolean ticketAccepted;

  private String negotiatedAlps; // the protocol whose ALPS the server echoed, if any
  private CertificateException certificateFailure;
  private short alertReceived = -1;

  GuiseTlsClient(
      TlsCrypto crypto,
      HelloTemplate template,
      HelloPlan plan,
      ServerCertificateVerifier verifier,
      ResumptionTicket offered) {
    super(crypto);
    this.template = template;
    this.plan = plan;
    this.verifier = verifier;
    this.offered = offered;
  }

  /**
   * The offered ticket's PSK, as BouncyCastle's one client PSK kind, so that its key schedule uses
   * it when the server selects it. The binder BouncyCastle would compute for it (an "ext binder")
   * is never sent: Guise writes the hello and its "res binder" ({@link Resumption}).
   */
  @Override
  public Vector<TlsPSKExternal> getExternalPSKs() {
    if (offered == null) {
      return null;
    }
    Vector<TlsPSKExternal> psks = new Vector<>(1);
    psks.add(
        new BasicTlsPSKExternal(
            offered.identity(), getCrypto().createSecret(offered.psk()), offered.prfAlgorithm()));
    return psks;
  }

  @Override
  public short[] getPskKeyExchangeModes() {
    return new short[] {PskKeyExchangeMode.psk_dhe_ke}; // both browsers: [1], never psk_ke
  }

  @Override
  public void notifySelectedPSK(TlsPSK selectedPsk) throws IOException {
    super.notifySelectedPSK(selectedPsk);
    ticketAccepted = selectedPsk != null;
  }

  /** Whether the server resumed the session of the offered ticket. */
  boolean ticketAccepted() {
    return ticketAccepted;
  }

  /**
   * The server's verified chain: this handshake's, or on resumption the one the ticket's session
   * was verified with (a resumed handshake carries no certificate).
   */
  List<X509Certificate> serverChain() {
    return ticketAccepted ? offered.serverChain() : verifier.chain();
  }

  HelloTemplate template() {
    return template;
  }

  HelloPlan plan() {
    return plan;
  }

  @Override
  protected ProtocolVersion[] getSupportedVersions() {
    return template.versions.clone();
  }

  @Override
  protected int[] getSupportedCipherSuites() {
    return template.offeredCipherSuites.clone();
  }

  @Override
  public Hashtable<Integer, byte[]> getClientExtensions() throws IOException {
    Hashtable<Integer, byte[]> extensions = new Hashtable<>();
    for (TlsExtension e : template.extensions) {
      int type = e.type();
      if (e.isGrease()) {
        continue;
      }
      switch (type) {
        case ClientHello.EXT_SERVER_NAME -> {
          byte[] sni = plan.serverNameData();
          if (sni != null) {
            extensions.put(type, sni);
          }
        }
        case ClientHello.EXT_ALPN -> extensions.put(type, plan.alpnData());
        case ClientHello.EXT_ALPS, ClientHello.EXT_ALPS_OLD -> {
          if (!plan.alpsProtocols().isEmpty()) {
            extensions.put(type, plan.alpsData());
          }
        }
        case ClientHello.EXT_SUPPORTED_GROUPS -> {
          Vector<Integer> groups = new Vector<>();
          for (int g : template.supportedGroups) {
            groups.add(g);
          }
          this.supportedGroups = groups;
          TlsExtensionsUtils.addSupportedGroupsExtension(extensions, groups);
        }
        case ClientHello.EXT_SIGNATURE_ALGORITHMS -> {
          Vector<SignatureAndHashAlgorithm> algorithms =
              signatureAlgorithms(template.signatureAlgorithms);
          this.supportedSignatureAlgorithms = algorithms;
          TlsExtensionsUtils.addSignatureAlgorithmsExtension(extensions, algorithms);
        }
        case ClientHello.EXT_SIGNATURE_ALGORITHMS_CERT -> {
          Vector<SignatureAndHashAlgorithm> algorithms =
              signatureAlgorithms(template.signatureAlgorithmsCert);
          this.supportedSignatureAlgorithmsCert = algorithms;
          TlsExtensionsUtils.addSignatureAlgorithmsCertExtension(extensions, algorithms);
        }
        case ClientHello.EXT_ENCRYPTED_CLIENT_HELLO -> extensions.put(type, plan.echData());
        // BouncyCastle writes these itself (and Guise rewrites them on the wire)
        case ClientHello.EXT_SUPPORTED_VERSIONS,
            ClientHello.EXT_KEY_SHARE,
            ClientHello.EXT_PADDING,
            23 -> {}
        default -> extensions.put(type, e.data());
      }
    }
    return extensions;
  }

  private static Vector<SignatureAndHashAlgorithm> signatureAlgorithms(List<Integer> schemes) {
    Vector<SignatureAndHashAlgorithm> out = new Vector<>();
    for (int scheme : schemes) {
      out.add(
          SignatureAndHashAlgorithm.getInstance((short) (scheme >>> 8), (short) (scheme & 0xff)));
    }
    return out;
  }

  @Override
  public Vector<Integer> getEarlyKeyShareGroups() {
    Vector<Integer> groups = new Vector<>();
    for (int g : template.keyShareGroups) {
      groups.add(Integers.valueOf(g));
    }
    return groups;
  }

  @Override
  public boolean shouldUseExtendedMasterSecret() {
    return template.extendedMasterSecret;
  }

  @Override
  public boolean shouldUseCompatibilityMode() {
    return template.reference.sessionId().length > 0;
  }

  @Override
  public int getMaxHandshakeMessageSize() {
    return CertificateDecompressor.MAX_CERTIFICATE_MESSAGE;
  }

  @Override
  public void processServerExtensions(Hashtable serverExtensions) throws IOException {
    super.processServerExtensions(serverExtensions);
    if (serverExtensions == null || template.alpsCodepoint < 0) {
      return;
    }
    byte[] echo =
        TlsUtils.getExtensionData(serverExtensions, Integers.valueOf(template.alpsCodepoint));
    if (echo == null) {
      return;
    }
    SecurityParameters parameters = context.getSecurityParametersHandshake();
    ProtocolName selected = parameters.getApplicationProtocol();
    String protocol = selected == null ? null : selected.getUtf8Decoding();
    if (protocol == null || !plan.alpsProtocols().contains(protocol)) {
      // RFC-draft ALPS: settings only for a protocol both offered for ALPS and selected by ALPN.
      throw new TlsFatalAlert(
          AlertDescription.illegal_parameter, "ALPS without a matching ALPN protocol");
    }
    this.negotiatedAlps = protocol;
  }

  /** The ALPS value to send in the client's EncryptedExtensions, or null without ALPS. */
  byte[] clientApplicationSettings() {
    if (negotiatedAlps == null) {
      return null;
    }
    return "h2".equals(negotiatedAlps) ? template.alpsH2Settings.clone() : new byte[0];
  }

  int alpsCodepoint() {
    return template.alpsCodepoint;
  }

  @Override
  public TlsAuthentication getAuthentication() {
    return new TlsAuthentication() {
      @Override
      public void notifyServerCertificate(TlsServerCertificate serverCertificate)
          throws IOException {
        SecurityParameters parameters = context.getSecurityParametersHandshake();
        try {
          verifier.verify(serverCertificate.getCertificate(), parameters);
        } catch (CertificateException e) {
          // Kept: the engine classifies the failure by this, whatever BouncyCastle wraps it in.
          certificateFailure = e;
          throw new TlsFatalAlert(ServerCertificateVerifier.alertFor(e), e.getMessage(), e);
        }
      }

      @Override
      public TlsCredentials getClientCredentials(CertificateRequest certificateRequest) {
        return null; // Guise never authenticates with a client certificate
      }
    };
  }

  @Override
  public void notifyAlertReceived(short alertLevel, short alertDescription) {
    if (alertLevel == AlertLevel.fatal) {
      alertReceived = alertDescription;
    }
  }

  /** Why the server certificate was rejected, if it was. */
  CertificateException certificateFailure() {
    return certificateFailure;
  }

  /** The fatal alert the server sent, or -1. */
  short alertReceived() {
    return alertReceived;
  }

  /** The negotiated group's IANA name, if BouncyCastle knows it. */
  String negotiatedGroupName() {
    int group = context.getSecurityParametersConnection().getNegotiatedGroup();
    if (group < 0) {
      return null;
    }
    String text = NamedGroup.getName(group);
    return text == null ? String.format("0x%04x", group) : text;
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
