package dev.guise.tls.bouncycastle.internal;

import dev.guise.fingerprint.ClientHello;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Vector;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.HandshakeMessageInput;
import org.bouncycastle.tls.HandshakeType;
import org.bouncycastle.tls.KeyShareEntry;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsHandshakeHash;
import org.bouncycastle.tls.TlsSession;
import org.bouncycastle.tls.crypto.TlsHash;
import org.bouncycastle.tls.crypto.TlsHashOutputStream;

/**
 * BouncyCastle's client protocol with the three things a browser-exact hello obliges a client to do
 * that stock BouncyCastle does not:
 *
 * <ol>
 *   <li><b>Send Guise's own ClientHello bytes</b> ({@link #sendClientHelloMessage()}): BouncyCastle
 *       has built its ClientHello object (random, session id, real key shares, extension table);
 *       {@link HelloPlan} encodes the browser's hello around those values, and the bytes enter the
 *       transcript and the record layer as BouncyCastle's own would. On a HelloRetryRequest,
 *       BouncyCastle has already replaced the key shares with the one the server asked for and
 *       added the cookie; the plan drops the GREASE share and keeps everything else.
 *   <li><b>Accept a compressed certificate</b> ({@link #handle13HandshakeMessage}): BouncyCastle
 *       has already added the compressed message to the transcript (as RFC 8879 wants); the
 *       decompressed Certificate is then processed like one received directly.
 *   <li><b>Send ALPS settings</b> ({@link #send13FinishedMessage()}): when the server negotiated
 *       ALPS, the client's settings go in an EncryptedExtensions message (handshake type 8, as
 *       BoringSSL sends it) after the server's Finished and before the client's Certificate or
 *       Finished. Servers that negotiate ALPS (Google's) abort without it. Not yet checked against
 *       a real ALPS server: the test BoringSSL (netty-tcnative 2.0.84) cannot be told to negotiate
 *       ALPS.
 * </ol>
 *
 * <p>Blocking mode only. One instance per connection.
 */
final class GuiseClientProtocol extends TlsClientProtocol {
  private GuiseTlsClient client;
  private Resumption resumption; // null: resumption off for this connection
  private int helloCount;
  private boolean alpsSent;
  private int certificateCompression = -1;

  GuiseClientProtocol(InputStream input, OutputStream output) {
    super(input, output);
  }

  void connect(GuiseTlsClient tlsClient, Resumption resumption) throws IOException {
    this.client = tlsClient;
    this.resumption = resumption;
    super.connect(tlsClient);
  }

  /** Tickets this connection's server sent that went into the cache; 0 with resumption off. */
  int ticketsKept() {
    return resumption == null ? 0 : resumption.ticketsKept();
  }

  /** The parameters of the completed handshake. */
  SecurityParameters securityParameters() {
    return getContext().getSecurityParametersConnection();
  }

  /**
   * BouncyCastle's session of this connection: none once a TLS 1.3 handshake is complete (see
   * {@link #completeHandshake()}).
   */
  TlsSession session() {
    return getContext().getSession();
  }

  /**
   * The RFC 8879 algorithm of the server's compressed certificate, or -1 when the certificate came
   * uncompressed.
   */
  int certificateCompression() {
    return certificateCompression;
  }

  @Override
  protected void completeHandshake() throws IOException {
    super.completeHandshake();
    // The certificate was verified (ServerCertificateVerifier) and its chain copied into
    // NegotiatedTls; BouncyCastle's parsed copy would stay on every pooled connection for its
    // whole life (the ASN.1 tree and its byte arrays: 8 KiB for the testkit's certificate).
    if (ProtocolVersion.TLSv13.equals(securityParameters().getNegotiatedVersion())) {
      BcInternals.forgetPeerCertificate(getContext());
    }
  }

  @Override
  protected void sendClientHelloMessage() throws IOException {
    boolean retry = helloCount++ > 0;
    Map<Integer, byte[]> shares = new LinkedHashMap<>();
    @SuppressWarnings("unchecked")
    Vector<KeyShareEntry> entries =
        TlsExtensionsUtils.getKeyShareClientHello(clientHello.getExtensions());
    if (entries != null) {
      for (KeyShareEntry entry : entries) {
        shares.put(entry.getNamedGroup(), entry.getKeyExchange());
      }
    }
    byte[] cookie = TlsExtensionsUtils.getCookieExtension(clientHello.getExtensions());
    // BouncyCastle put pre_shared_key in its table when it took the ticket's PSK (see
    // GuiseTlsClient
    // .getExternalPSKs); after a HelloRetryRequest it leaves it out if the PSK's hash does not fit
    // the suite the server chose, and then Guise offers no ticket either.
    boolean offering =
        resumption != null
            && resumption.offered() != null
            && clientHello.getExtensions().containsKey(ClientHello.EXT_PRE_SHARED_KEY);
    HelloPlan.PskOffer psk =
        offering
            ? new HelloPlan.PskOffer(
                resumption.offered().identity(),
                resumption.offered().obfuscatedAge(resumption.nowMillis()),
                resumption.binderLength())
            : null;
    byte[] message =
        client
            .plan()
            .encode(
                clientHello.getRandom(), clientHello.getSessionID(), shares, cookie, retry, psk);
    if (psk == null) {
      // What BouncyCastle's own sendClientHelloMessage does with its encoding: transcript first,
      // then the record layer.
      BcInternals.updateTranscript(this, message);
      BcInternals.writeHandshakeMessage(this, message);
      return;
    }
    // With a ticket, as BouncyCastle does for its PSKs: the truncated hello (all but the binders
    // list, which pre_shared_key ends with) enters the transcript, the binder is the HMAC of the
    // transcript so far (after a HelloRetryRequest that includes the first hello and the HRR),
    // then the binders enter the transcript and the whole message goes out.
    int bindersPart = 2 + 1 + psk.binderLength();
    int cut = message.length - bindersPart;
    TlsHandshakeHash transcript = BcInternals.transcript(this);
    transcript.update(message, 0, cut);
    TlsHash hash = getContext().getCrypto().createHash(resumption.offered().cryptoHashAlgorithm());
    transcript.copyBufferTo(new TlsHashOutputStream(hash));
    byte[] binder = resumption.binder(hash.calculateHash());
    System.arraycopy(binder, 0, message, message.length - binder.length, binder.length);
    transcript.update(message, cut, bindersPart);
    BcInternals.writeHandshakeMessage(this, message);
  }

  @Override
  protected void receive13NewSessionTicket(ByteArrayInputStream buf) throws IOException {
    if (resumption == null || connection_state != CS_END) {
      super.receive13NewSessionTicket(buf); // checks the state, reads and drops the ticket
      return;
    }
    resumption.ticketReceived(buf);
  }

  @Override
  protected void handle13HandshakeMessage(short type, HandshakeMessageInput buf)
      throws IOException {
    if (type != HandshakeType.compressed_certificate) {
      super.handle13HandshakeMessage(type, buf);
      return;
    }
    if (client.template().certificateCompression.isEmpty()) {
      throw new TlsFatalAlert(
          AlertDescription.unexpected_message, "compressed certificate not offered");
    }
    switch (connection_state) {
      case CS_SERVER_ENCRYPTED_EXTENSIONS -> skip13CertificateRequest();
      case CS_SERVER_CERTIFICATE_REQUEST -> {}
      default ->
          throw new TlsFatalAlert(
              AlertDescription.unexpected_message, "compressed certificate out of order");
    }
    CertificateDecompressor.Decompressed certificate =
        CertificateDecompressor.decompress(buf, client.template().certificateCompression);
    certificateCompression = certificate.algorithm();
    receive13ServerCertificate(new ByteArrayInputStream(certificate.certificateMessage()));
    connection_state = CS_SERVER_CERTIFICATE;
  }

  @Override
  protected void send13CertificateMessage(Certificate certificate) throws IOException {
    sendClientApplicationSettings();
    super.send13CertificateMessage(certificate);
  }

  @Override
  protected void send13FinishedMessage() throws IOException {
    sendClientApplicationSettings();
    super.send13FinishedMessage();
    if (resumption != null) {
      // The transcript now ends with the client Finished: what the resumption master secret is
      // derived over. The master secret is gone once the handshake completes, so it is now.
      byte[] transcriptHash = BcInternals.transcript(this).forkPRFHash().calculateHash();
      resumption.handshakeFinished(
          getContext().getSecurityParametersHandshake(), transcriptHash, client.serverChain());
    }
  }

  private void sendClientApplicationSettings() throws IOException {
    if (alpsSent) {
      return;
    }
    alpsSent = true;
    byte[] settings = client.clientApplicationSettings();
    if (settings == null) {
      return;
    }
    ByteArrayOutputStream extensions = new ByteArrayOutputStream(settings.length + 4);
    HelloPlan.u16(extensions, client.alpsCodepoint());
    HelloPlan.u16(extensions, settings.length);
    extensions.writeBytes(settings);
    byte[] body = HelloPlan.opaque16(extensions.toByteArray());
    byte[] message = new byte[4 + body.length];
    message[0] = HandshakeType.encrypted_extensions;
    message[1] = (byte) (body.length >>> 16);
    message[2] = (byte) (body.length >>> 8);
    message[3] = (byte) body.length;
    System.arraycopy(body, 0, message, 4, body.length);
    // writeHandshakeMessage adds it to the transcript, so the client Finished covers it.
    BcInternals.writeHandshakeMessage(this, message);
  }
}
