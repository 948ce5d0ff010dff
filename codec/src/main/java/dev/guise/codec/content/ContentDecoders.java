package dev.guise.codec.content;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.PoolAction;
import dev.guise.codec.CodecException;
import dev.guise.codec.io.InputStreams;
import io.airlift.compress.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.brotli.dec.BrotliInputStream;

/**
 * Decoders for response bodies ({@code Content-Encoding}) and for TLS certificate compression (RFC
 * 8879).
 *
 * <p>Every decoder is a stream that decodes as it is read (memory is bounded by the decoders'
 * windows, never by the body) and enforces a hard limit on decoded bytes: past it, reading fails
 * with {@code RESPONSE_TOO_LARGE} (a compression bomb costs at most the limit). Corrupt or
 * truncated input fails with {@code PROTOCOL_ERROR}; it never hangs, since decoding only ever waits
 * for the underlying stream. Failures of the underlying stream that are already classified (a
 * connection closed inside the body) pass through unchanged.
 *
 * <p>Supported codings: {@code gzip} (and {@code x-gzip}), {@code deflate} (zlib-wrapped as the RFC
 * says, or raw deflate as some servers send and browsers accept), {@code br} and {@code zstd};
 * {@code identity} is skipped. The streams are not thread-safe; closing one closes the body stream
 * it reads. Close every stream when done with it, even one read to its end: closing ends a gzip or
 * deflate decoder's native zlib state, which otherwise lives until a garbage collection.
 */
public final class ContentDecoders {
  /** RFC 8879 CertificateCompressionAlgorithm values. */
  public static final int CERT_ZLIB = 1;

  public static final int CERT_BROTLI = 2;
  public static final int CERT_ZSTD = 3;

  private ContentDecoders() {}

  /**
   * The decoded body for a {@code Content-Encoding} header value (or several values, joined by
   * commas). Codings are listed in the order they were applied, so they are undone last to first.
   *
   * @param contentEncoding the header value(s); null or empty means no coding
   * @param maxDecodedBytes the most bytes the returned stream (and any intermediate layer) yields
   * @throws CodecException PROTOCOL_ERROR for a coding this class does not know
   */
  public static InputStream decode(String contentEncoding, InputStream body, long maxDecodedBytes)
      throws IOException {
    List<String> codings = new ArrayList<>();
    if (contentEncoding != null) {
      for (String c : contentEncoding.split(",")) {
        String coding = c.trim().toLowerCase(Locale.ROOT);
        if (!coding.isEmpty() && !coding.equals("identity")) {
          codings.add(coding);
        }
      }
    }
    InputStream in = body;
    for (int i = codings.size() - 1; i >= 0; i--) {
      in = new Limited(decoder(codings.get(i), in), maxDecodedBytes, codings.get(i));
    }
    return in;
  }

  /** A decoder for one coding, with the limit applied. */
  public static InputStream decodeOne(String coding, InputStream body, long maxDecodedBytes)
      throws IOException {
    return new Limited(decoder(coding.toLowerCase(Locale.ROOT), body), maxDecodedBytes, coding);
  }

  private static InputStream decoder(String coding, InputStream in) throws IOException {
    return switch (coding) {
      case "gzip", "x-gzip" -> new Lazy(() -> new GZIPInputStream(in, 8192), in);
      case "deflate" -> new Lazy(() -> deflate(in), in);
      case "br" -> new Lazy(() -> new BrotliInputStream(in), in);
      case "zstd" -> new Lazy(() -> new ZstdInputStream(in), in);
      default -> throw CodecException.protocolError("unsupported content coding: " + coding);
    };
  }

  /** Zlib-wrapped deflate when the first two bytes are a zlib header (RFC 1950), raw otherwise. */
  private static InputStream deflate(InputStream in) throws IOException {
    PushbackInputStream peek = new PushbackInputStream(in, 2);
    byte[] head = peek.readNBytes(2);
    peek.unread(head);
    boolean zlib =
        head.length == 2
            && (head[0] & 0x0f) == 8
            && (head[0] & 0xf0) <= 0x70
            && (((head[0] & 0xff) << 8) | (head[1] & 0xff)) % 31 == 0;
    return inflating(peek, !zlib);
  }

  /**
   * An inflating stream that ends its {@link Inflater} when closed: an {@code InflaterInputStream}
   * given its inflater leaves it to the caller, and an inflater not ended holds zlib's native state
   * until the garbage collector's cleaner gets to it.
   */
  private static InputStream inflating(InputStream in, boolean raw) {
    return new InflaterInputStream(in, new Inflater(raw), 8192) {
      @Override
      public void close() throws IOException {
        try {
          super.close();
        } finally {
          inf.end();
        }
      }
    };
  }

  /**
   * Decodes one RFC 8879 compressed certificate message body.
   *
   * @param algorithm 1 (zlib), 2 (brotli) or 3 (zstd)
   * @param uncompressedLength the length the peer declared; the output must be exactly this long
   *     (at most 2^24 - 1, the field's range)
   * @throws CodecException PROTOCOL_ERROR for an unknown algorithm, corrupt input, or output of a
   *     different length than declared (decoding stops one byte past it)
   */
  public static byte[] decompressCertificate(int algorithm, byte[] input, int uncompressedLength)
      throws IOException {
    if (uncompressedLength < 0 || uncompressedLength > 0xff_ffff) {
      throw CodecException.protocolError(
          "certificate uncompressed_length out of range: " + uncompressedLength);
    }
    String coding =
        switch (algorithm) {
          case CERT_ZLIB -> "zlib";
          case CERT_BROTLI -> "br";
          case CERT_ZSTD -> "zstd";
          default ->
              throw CodecException.protocolError(
                  "unknown certificate compression algorithm " + algorithm);
        };
    InputStream raw = new ByteArrayInputStream(input);
    InputStream decoder =
        algorithm == CERT_ZLIB ? new Lazy(() -> inflating(raw, false), raw) : decoder(coding, raw);
    // One byte beyond the declared length is enough to know it is wrong.
    try (InputStream in = new Limited(decoder, uncompressedLength + 1L, coding)) {
      byte[] out = in.readNBytes(uncompressedLength + 1);
      if (out.length != uncompressedLength) {
        throw CodecException.protocolError(
            "certificate decompressed to "
                + (out.length > uncompressedLength ? "more than " : "")
                + out.length
                + " bytes, declared "
                + uncompressedLength);
      }
      return out;
    } catch (CodecException e) {
      if (e.kind() == FailureKind.RESPONSE_TOO_LARGE) {
        throw CodecException.protocolError(
            "certificate decompressed to more than the declared " + uncompressedLength + " bytes",
            e);
      }
      throw e;
    }
  }

  @FunctionalInterface
  private interface Opener {
    InputStream open() throws IOException;
  }

  /**
   * Opens the decoder on first read: GZIPInputStream and others read their header in the
   * constructor, which would block (and could fail) before anyone asked for the body.
   */
  private static final class Lazy extends InputStream {
    private final Opener opener;
    private final InputStream source;
    private InputStream open;

    Lazy(Opener opener, InputStream source) {
      this.opener = opener;
      this.source = source;
    }

    private InputStream stream() throws IOException {
      if (open == null) {
        open = opener.open();
      }
      return open;
    }

    @Override
    public int read() throws IOException {
      return stream().read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return stream().read(b, off, len);
    }

    @Override
    public void close() throws IOException {
      if (open != null) {
        open.close();
      } else {
        source.close();
      }
    }
  }

  /** Counts decoded bytes against the limit and classifies the decoder's failures. */
  private static final class Limited extends FilterInputStream {
    private final long limit;
    private final String coding;
    private long count;

    Limited(InputStream in, long limit, String coding) {
      super(in);
      if (limit < 0) {
        throw new IllegalArgumentException("limit < 0");
      }
      this.limit = limit;
      this.coding = coding;
    }

    @Override
    public int read() throws IOException {
      return InputStreams.readByte(this);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (count >= limit) {
        // Asking for one more byte tells a body of exactly the limit from a larger one.
        len = 1;
      } else {
        len = (int) Math.min(len, limit - count);
      }
      int n;
      try {
        n = in.read(b, off, len);
      } catch (ClassifiedIOException e) {
        throw e;
      } catch (IOException | RuntimeException e) {
        // ZipException, EOFException (truncated), BrotliRuntimeException, MalformedInputException.
        throw CodecException.protocolError(
            "corrupt or truncated " + coding + " content: " + e.getMessage(), e);
      }
      if (n > 0) {
        count += n;
        if (count > limit) {
          throw CodecException.tooLarge(
              "decoded " + coding + " content exceeds the limit of " + limit + " bytes",
              PoolAction.DISCARD_CONNECTION);
        }
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] scratch = new byte[(int) Math.min(8192, Math.max(n, 1))];
      long skipped = 0;
      while (skipped < n) {
        int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
        if (r < 0) {
          break;
        }
        skipped += r;
      }
      return skipped;
    }

    @Override
    public int available() throws IOException {
      return 0;
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }
}
