package dev.guise.tls.bouncycastle.internal;

import io.airlift.compress.zstd.ZstdDecompressor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsUtils;
import org.brotli.dec.BrotliInputStream;

/**
 * Turns a TLS 1.3 {@code compressed_certificate} message (RFC 8879) back into the Certificate
 * message it stands for.
 *
 * <p>Bounds: the declared uncompressed length may not exceed {@link #MAX_CERTIFICATE_MESSAGE}, and
 * the decoder must produce exactly that many bytes, no more (a decompression bomb stops at the
 * limit) and no fewer. An algorithm the client did not offer, or bytes that do not decode, end the
 * handshake with {@code bad_certificate} as RFC 8879 asks.
 *
 * <p>The decoders are used directly (zlib: {@link Inflater}; brotli: {@code org.brotli:dec}; zstd:
 * aircompressor), all pure Java. Stateless and thread-safe.
 */
final class CertificateDecompressor {
  /** The largest certificate message accepted, compressed or not: real chains are under 20 KiB. */
  static final int MAX_CERTIFICATE_MESSAGE = 256 * 1024;

  static final int ZLIB = 1;
  static final int BROTLI = 2;
  static final int ZSTD = 3;

  private CertificateDecompressor() {}

  /**
   * @param body the compressed_certificate message body (after the 4-byte handshake header)
   * @param offered the algorithms the ClientHello offered
   * @return the Certificate message body
   */
  static byte[] decompress(InputStream body, List<Integer> offered) throws IOException {
    int algorithm = TlsUtils.readUint16(body);
    int uncompressedLength = TlsUtils.readUint24(body);
    byte[] compressed = TlsUtils.readOpaque24(body);
    if (body.available() != 0) {
      throw new TlsFatalAlert(AlertDescription.decode_error, "trailing bytes in compressed_certificate");
    }
    if (!offered.contains(algorithm)) {
      throw new TlsFatalAlert(
          AlertDescription.illegal_parameter,
          "server used certificate compression algorithm " + algorithm + ", which was not offered");
    }
    if (uncompressedLength == 0 || uncompressedLength > MAX_CERTIFICATE_MESSAGE) {
      throw new TlsFatalAlert(
          AlertDescription.bad_certificate,
          "compressed certificate declares " + uncompressedLength + " bytes (limit "
              + MAX_CERTIFICATE_MESSAGE + ")");
    }
    try {
      byte[] out =
          switch (algorithm) {
            case ZLIB -> inflate(compressed, uncompressedLength);
            case BROTLI -> brotli(compressed, uncompressedLength);
            case ZSTD -> zstd(compressed, uncompressedLength);
            default -> throw new TlsFatalAlert(AlertDescription.illegal_parameter);
          };
      return out;
    } catch (TlsFatalAlert e) {
      throw e;
    } catch (IOException | DataFormatException | RuntimeException e) {
      throw new TlsFatalAlert(
          AlertDescription.bad_certificate, "compressed certificate does not decode: " + e, e);
    }
  }

  private static byte[] inflate(byte[] compressed, int length) throws DataFormatException, IOException {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(compressed);
      byte[] out = new byte[length];
      int n = 0;
      while (n < length && !inflater.finished()) {
        int got = inflater.inflate(out, n, length - n);
        if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          break;
        }
        n += got;
      }
      byte[] probe = new byte[1];
      if (n != length || !inflater.finished() && inflater.inflate(probe) > 0) {
        throw new IOException("zlib output is not the declared " + length + " bytes");
      }
      return out;
    } finally {
      inflater.end();
    }
  }

  private static byte[] brotli(byte[] compressed, int length) throws IOException {
    try (InputStream in = new BrotliInputStream(new ByteArrayInputStream(compressed))) {
      byte[] out = new byte[length];
      int n = in.readNBytes(out, 0, length);
      if (n != length || in.read() >= 0) {
        throw new IOException("brotli output is not the declared " + length + " bytes");
      }
      return out;
    }
  }

  private static byte[] zstd(byte[] compressed, int length) throws IOException {
    long declared = ZstdDecompressor.getDecompressedSize(compressed, 0, compressed.length);
    if (declared >= 0 && declared != length) {
      throw new IOException("zstd frame declares " + declared + " bytes, not " + length);
    }
    byte[] out = new byte[length];
    int n = new ZstdDecompressor().decompress(compressed, 0, compressed.length, out, 0, length);
    if (n != length) {
      throw new IOException("zstd output is not the declared " + length + " bytes");
    }
    return out;
  }
}
