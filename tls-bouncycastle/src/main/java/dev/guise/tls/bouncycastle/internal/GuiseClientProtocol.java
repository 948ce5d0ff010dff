package dev.guise.tls.bouncycastle.internal;

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
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;

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
  private int helloCount;
  private boolean alpsSent;
  private int certificateCompression = -1;

  GuiseClientProtocol(InputStream input, OutputStream output) {
    super(input, output);
  }

  void connect(GuiseTlsClient tlsClient) throws IOException {
    this.client = tlsClient;
    super.connect(tlsClient);
  }

  /** The parameters of the completed handshake. */
  SecurityParameters securityParameters() {
    return getContext().getSecurityParametersConnection();
  }

  /**
   * The RFC 8879 algorithm of the server's compressed certificate, or -1 when the certificate came
   * uncompressed.
   */
  int certificateCompression() {
    return certificateCompression;
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
    byte[] message =
        client
            .plan()
            .encode(clientHello.getRandom(), clientHello.getSessionID(), shares, cookie, retry);
    // What BouncyCastle's own sendClientHelloMessage does with its encoding (no PSK binders: Guise
    // never offers pre_shared_key): transcript first, then the record layer.
    BcInternals.updateTranscript(this, message);
    BcInternals.writeHandshakeMessage(this, message);
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
