package dev.guise.tls.bouncycastle.internal;

import dev.guise.codec.content.ContentDecoders;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsUtils;

/**
 * Turns a TLS 1.3 {@code compressed_certificate} message (RFC 8879) back into the Certificate
 * message it stands for: reads the message's framing and checks it against what the ClientHello
 * offered; the decoding itself is {@link ContentDecoders#decompressCertificate}.
 *
 * <p>Bounds: the declared uncompressed length may not exceed {@link #MAX_CERTIFICATE_MESSAGE}, and
 * the decoder must produce exactly that many bytes (it stops one byte past, so a decompression bomb
 * costs nothing). An algorithm the client did not offer ends the handshake with {@code
 * illegal_parameter}; bytes that do not decode to the declared length with {@code bad_certificate},
 * as RFC 8879 asks.
 *
 * <p>Stateless and thread-safe.
 */
final class CertificateDecompressor {
  /** The largest certificate message accepted, compressed or not: real chains are under 20 KiB. */
  static final int MAX_CERTIFICATE_MESSAGE = 256 * 1024;

  /** A decompressed Certificate message body and the algorithm it came with. */
  record Decompressed(int algorithm, byte[] certificateMessage) {}

  private CertificateDecompressor() {}

  /**
   * @param body the compressed_certificate message body (after the 4-byte handshake header)
   * @param offered the algorithms the ClientHello offered
   */
  static Decompressed decompress(InputStream body, List<Integer> offered) throws IOException {
    int algorithm = TlsUtils.readUint16(body);
    int uncompressedLength = TlsUtils.readUint24(body);
    byte[] compressed = TlsUtils.readOpaque24(body);
    if (body.available() != 0) {
      throw new TlsFatalAlert(
          AlertDescription.decode_error, "trailing bytes in compressed_certificate");
    }
    if (!offered.contains(algorithm)) {
      throw new TlsFatalAlert(
          AlertDescription.illegal_parameter,
          "server used certificate compression algorithm " + algorithm + ", which was not offered");
    }
    if (uncompressedLength == 0 || uncompressedLength > MAX_CERTIFICATE_MESSAGE) {
      throw new TlsFatalAlert(
          AlertDescription.bad_certificate,
          "compressed certificate declares "
              + uncompressedLength
              + " bytes (limit "
              + MAX_CERTIFICATE_MESSAGE
              + ")");
    }
    try {
      return new Decompressed(
          algorithm,
          ContentDecoders.decompressCertificate(algorithm, compressed, uncompressedLength));
    } catch (IOException | RuntimeException e) {
      throw new TlsFatalAlert(
          AlertDescription.bad_certificate,
          "compressed certificate does not decode: " + e.getMessage(),
          e);
    }
  }
}
