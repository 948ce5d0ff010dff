package dev.guise.pool.internal.http;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.Header;
import dev.guise.api.PoolAction;
import io.airlift.compress.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.brotli.dec.BrotliInputStream;

/**
 * Decodes a response body from its {@code Content-Encoding} (gzip, deflate, br, zstd, in any
 * stacking), never producing more than a limit.
 *
 * <p>This is the smallest helper the HTTP connections need until codec exports
 * {@code dev.guise.codec.content}; it then delegates there. Limits: output is counted as it is
 * produced, so a decompression bomb stops at the limit plus one buffer; a truncated or corrupt
 * stream is a {@code PROTOCOL_ERROR}.
 */
public final class ContentDecoding {
  private ContentDecoding() {}

  /** The outcome: the decoded bytes, and whether they were cut at the limit. */
  public record Decoded(byte[] body, boolean truncated) {}

  /**
   * Decodes {@code body} as the response headers' {@code Content-Encoding} says.
   *
   * @param truncate keep the first {@code maxBytes} bytes instead of failing past them
   * @throws ClassifiedIOException RESPONSE_TOO_LARGE past {@code maxBytes} (unless truncating),
   *     PROTOCOL_ERROR for corrupt, truncated or unknown codings
   */
  public static Decoded decode(List<Header> headers, byte[] body, long maxBytes, boolean truncate)
      throws ClassifiedIOException {
    List<String> codings = new ArrayList<>();
    for (Header h : headers) {
      if (h.is("content-encoding")) {
        for (String c : h.value().split(",")) {
          String t = c.trim().toLowerCase(Locale.ROOT);
          if (!t.isEmpty() && !t.equals("identity")) {
            codings.add(t);
          }
        }
      }
    }
    if (codings.isEmpty() || body.length == 0) {
      return limit(body, maxBytes, truncate);
    }
    byte[] data = body;
    boolean truncated = false;
    // Codings are listed in the order they were applied; undo them last first.
    for (int i = codings.size() - 1; i >= 0; i--) {
      boolean last = i == 0;
      Decoded d = decodeOne(codings.get(i), data, last ? maxBytes : Math.max(maxBytes, 1) * 4 + 65536,
          last && truncate);
      data = d.body();
      truncated |= d.truncated();
    }
    return new Decoded(data, truncated);
  }

  private static Decoded limit(byte[] body, long maxBytes, boolean truncate) throws ClassifiedIOException {
    if (body.length <= maxBytes) {
      return new Decoded(body, false);
    }
    if (truncate) {
      return new Decoded(java.util.Arrays.copyOf(body, (int) maxBytes), true);
    }
    throw tooLarge(maxBytes);
  }

  private static ClassifiedIOException tooLarge(long maxBytes) {
    return new ClassifiedIOException(FailureKind.RESPONSE_TOO_LARGE, false, PoolAction.KEEP,
        "response body larger than the limit of " + maxBytes + " bytes", null);
  }

  private static Decoded decodeOne(String coding, byte[] data, long maxBytes, boolean truncate)
      throws ClassifiedIOException {
    try (InputStream in = open(coding, data)) {
      return drain(in, maxBytes, truncate);
    } catch (ClassifiedIOException e) {
      throw e;
    } catch (EOFException e) {
      throw HttpFailures.protocol(coding + " body is truncated", e);
    } catch (IOException | RuntimeException e) {
      throw HttpFailures.protocol(coding + " body is corrupt: " + e.getMessage(), e);
    }
  }

  private static InputStream open(String coding, byte[] data) throws IOException {
    ByteArrayInputStream raw = new ByteArrayInputStream(data);
    return switch (coding) {
      case "gzip", "x-gzip" -> new GZIPInputStream(raw, 8192);
      case "deflate" -> deflate(data);
      case "br" -> new BrotliInputStream(raw);
      case "zstd" -> new StrictZstd(new ZstdInputStream(raw));
      default -> throw HttpFailures.protocol("unsupported content-encoding: " + coding);
    };
  }

  /**
   * HTTP's "deflate" is zlib-wrapped (RFC 9110), but some servers send raw deflate, which browsers
   * also accept: pick by whether the first two bytes form a valid zlib header.
   */
  private static InputStream deflate(byte[] data) {
    boolean zlib = data.length >= 2 && (data[0] & 0x0f) == 8 && ((data[0] & 0xff) << 8 | (data[1] & 0xff)) % 31 == 0;
    return new StrictInflater(new ByteArrayInputStream(data), new Inflater(!zlib));
  }

  private static Decoded drain(InputStream in, long maxBytes, boolean truncate) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[16384];
    long total = 0;
    int n;
    while ((n = in.read(buf)) > 0) {
      if (total + n > maxBytes) {
        if (!truncate) {
          throw tooLarge(maxBytes);
        }
        out.write(buf, 0, (int) (maxBytes - total));
        return new Decoded(out.toByteArray(), true);
      }
      out.write(buf, 0, n);
      total += n;
    }
    return new Decoded(out.toByteArray(), false);
  }

  /** An inflater stream that reports a stream ending before its final block as truncated. */
  private static final class StrictInflater extends InflaterInputStream {
    StrictInflater(InputStream in, Inflater inflater) {
      super(in, inflater, 8192);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n < 0 && !inf.finished()) {
        throw new EOFException("deflate stream ended before its last block");
      }
      return n;
    }
  }

  /** Aircompressor's stream may return -1 at a frame boundary mid-input; treat leftovers as corrupt. */
  private static final class StrictZstd extends InputStream {
    private final ZstdInputStream in;

    StrictZstd(ZstdInputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return in.read(b, off, len);
      } catch (RuntimeException e) {
        // aircompressor reports corrupt and truncated input as unchecked exceptions
        throw new EOFException("zstd: " + e.getMessage());
      }
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
