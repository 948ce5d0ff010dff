package dev.guise.pool.internal.exchange;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.Header;
import dev.guise.api.PoolAction;
import dev.guise.codec.content.ContentDecoders;
import dev.guise.codec.io.InputStreams;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a raw response body into the bytes an {@code HttpResponse} carries: undoes the {@code
 * Content-Encoding} with codec's {@link ContentDecoders} as the body is read, and applies the
 * exchange's decoded-size limit (fail past it, or keep the first bytes when truncating).
 *
 * <p>Decoding is incremental, so truncation cuts the decoded output, never the compressed input: a
 * bomb costs at most the limit, and a prefix of a compressed body is a prefix of its text.
 * Stateless; the stream passed in is read by the calling thread only.
 */
public final class ResponseBodies {
  /** Raw (undecoded) bytes tolerated beyond the decoded limit: honest servers' coding overhead. */
  public static final long RAW_SLACK = 64 * 1024;

  /** The first block a decoded body is read into, and the smallest later one. */
  private static final int BLOCK = 16 * 1024;

  /** The largest block: the most a body's last block can leave unused. */
  private static final int MAX_BLOCK = 1 << 20;

  private ResponseBodies() {}

  /** The {@code Content-Encoding} values joined by commas, or null when there are none. */
  public static String contentEncoding(List<Header> headers) {
    String joined = null;
    for (int i = 0, n = headers.size(); i < n; i++) {
      Header h = headers.get(i);
      if (h.is("content-encoding")) {
        joined = joined == null ? h.value() : joined + "," + h.value();
      }
    }
    return joined;
  }

  /** Whether the coding list is empty or only {@code identity}: the raw bytes are the body. */
  public static boolean isIdentity(String contentEncoding) {
    if (contentEncoding == null) {
      return true;
    }
    for (String c : contentEncoding.split(",")) {
      String t = c.trim();
      if (!t.isEmpty() && !t.equalsIgnoreCase("identity")) {
        return false;
      }
    }
    return true;
  }

  /**
   * Reads and decodes {@code raw} to its end, or to the limit.
   *
   * @param rawCut whether {@code raw} is a prefix we cut ourselves while truncating: a decoder that
   *     then runs out of input mid-stream has still produced a true prefix of the body, which is
   *     returned
   * @throws ClassifiedIOException RESPONSE_TOO_LARGE past {@code maxBytes} decoded (or {@code
   *     maxBytes + RAW_SLACK} raw) bytes unless truncating, PROTOCOL_ERROR for corrupt, truncated
   *     or unknown codings; both with {@link PoolAction#DISCARD_CONNECTION} (callers that stayed in
   *     step with the peer relax that)
   */
  public static byte[] read(
      String contentEncoding, InputStream raw, long maxBytes, boolean truncate, boolean rawCut)
      throws IOException {
    return read(contentEncoding, raw, maxBytes, truncate, rawCut, -1);
  }

  /**
   * As {@link #read(String, InputStream, long, boolean, boolean)}, into one array of {@code
   * sizeHint} bytes first: when the hint is the decoded size, the body is decoded into the array it
   * is returned in, with no growing buffer and no copy to size. A wrong hint costs only that: the
   * array grows as without one.
   *
   * @param sizeHint the decoded size the caller expects, or -1 when it has no idea
   */
  public static byte[] read(
      String contentEncoding,
      InputStream raw,
      long maxBytes,
      boolean truncate,
      boolean rawCut,
      long sizeHint)
      throws IOException {
    long max = Math.min(maxBytes, Integer.MAX_VALUE - 16);
    InputStream in = decoding(contentEncoding, raw, max, truncate);
    boolean hinted = sizeHint > 0 && sizeHint <= max;
    // Decoded into blocks that are never copied as they fill (a doubling array copied the body
    // about twice over), then once into the result; with a right hint, into the result alone.
    byte[] buf = new byte[(int) (hinted ? sizeHint : Math.min(max + 1, BLOCK))];
    List<byte[]> filled = null;
    long total = 0; // bytes in the filled blocks
    int pos = 0;
    try {
      while (true) {
        if (pos == buf.length) {
          int carried = -1;
          if (hinted) {
            // Full at the size expected: one byte more or the end tells whether it was right.
            hinted = false;
            byte[] one = new byte[1];
            if (in.read(one, 0, 1) < 0) {
              break;
            }
            carried = one[0] & 0xff;
          }
          if (filled == null) {
            filled = new ArrayList<>();
          }
          filled.add(buf);
          total += pos;
          // total <= max here (else the loop ended): the next block has room for one byte more.
          buf =
              new byte
                  [(int) Math.min(max + 1 - total, Math.min(MAX_BLOCK, Math.max(BLOCK, total)))];
          pos = 0;
          if (carried != -1) {
            buf[pos++] = (byte) carried;
            if (total + pos > max) {
              if (!truncate) {
                throw tooLarge(maxBytes);
              }
              break;
            }
            continue;
          }
        }
        int r = in.read(buf, pos, buf.length - pos);
        if (r < 0) {
          break;
        }
        pos += r;
        if (total + pos > max) {
          if (!truncate) {
            throw tooLarge(maxBytes);
          }
          break;
        }
      }
    } catch (ClassifiedIOException e) {
      if (!(rawCut && truncate && e.kind() == FailureKind.PROTOCOL_ERROR && total + pos > 0)) {
        throw e;
      }
      // We cut the compressed input ourselves; what the decoder produced up to there is genuine.
    }
    if (filled == null) {
      return pos == buf.length && pos <= max ? buf : Arrays.copyOf(buf, (int) Math.min(pos, max));
    }
    byte[] out = new byte[(int) Math.min(total + pos, max)];
    int off = 0;
    for (byte[] b : filled) {
      System.arraycopy(b, 0, out, off, b.length);
      off += b.length;
    }
    System.arraycopy(buf, 0, out, off, out.length - off);
    return out;
  }

  /**
   * The decoded body of {@code raw} as a stream, for a caller that reads it as it arrives: undoes
   * the coding incrementally (memory bounded by the decoders' windows, never by the body) and fails
   * with RESPONSE_TOO_LARGE past {@code maxBytes} decoded (or {@code maxBytes + RAW_SLACK} raw)
   * bytes. The limit is a long: a streamed body is not held in an array. Closing the returned
   * stream does not close {@code raw}; its owner does.
   */
  public static InputStream stream(String contentEncoding, InputStream raw, long maxBytes)
      throws IOException {
    return new DecodedCap(decoding(contentEncoding, raw, maxBytes, false), maxBytes);
  }

  /** {@code raw} behind the decoders its coding calls for, both sides bounded. */
  private static InputStream decoding(
      String contentEncoding, InputStream raw, long max, boolean truncate) throws IOException {
    if (isIdentity(contentEncoding)) {
      return raw;
    }
    // The decoders count their own output: one byte over the limit tells "more" from "exactly".
    return ContentDecoders.decode(
        contentEncoding, new RawCap(raw, max + RAW_SLACK, truncate), truncate ? max + 1 : max);
  }

  static ClassifiedIOException tooLarge(long maxBytes) {
    return HttpFailures.tooLarge(
        "response body larger than the limit of " + maxBytes + " bytes",
        PoolAction.DISCARD_CONNECTION);
  }

  /**
   * Counts what the caller reads and fails one byte past the limit: identity bodies pass no
   * decoder, and a decoder's own limit must not be the only one. Never closes what it reads.
   */
  private static final class DecodedCap extends InputStream {
    private final InputStream in;
    private final long max;
    private long count;

    DecodedCap(InputStream in, long max) {
      this.in = in;
      this.max = max;
    }

    @Override
    public int read() throws IOException {
      return InputStreams.readByte(this);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      // Asks for one byte more than the limit allows, so "exactly the limit" is not an error.
      int n = in.read(b, off, (int) Math.min(len, max + 1 - count));
      if (n > 0) {
        count += n;
        if (count > max) {
          throw tooLarge(max);
        }
      }
      return n;
    }
  }

  /**
   * Bounds the compressed input too: output is bounded by the decoders, but a stream of empty
   * deflate blocks decodes to nothing however long it runs. Past the cap: RESPONSE_TOO_LARGE, or
   * (truncating) end of input, which the decoder reports as truncated content.
   */
  private static final class RawCap extends FilterInputStream {
    private final long cap;
    private final boolean endQuietly;
    private long count;

    RawCap(InputStream in, long cap, boolean endQuietly) {
      super(in);
      this.cap = cap;
      this.endQuietly = endQuietly;
    }

    @Override
    public int read() throws IOException {
      return InputStreams.readByte(this);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (count >= cap) {
        if (endQuietly) {
          return -1;
        }
        if (in.read() < 0) {
          return -1;
        }
        throw HttpFailures.tooLarge(
            "compressed response body larger than " + cap + " bytes",
            PoolAction.DISCARD_CONNECTION);
      }
      int n = in.read(b, off, (int) Math.min(len, cap - count));
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = in.skip(Math.max(0, Math.min(n, cap - count)));
      count += skipped;
      return skipped;
    }
  }
}
