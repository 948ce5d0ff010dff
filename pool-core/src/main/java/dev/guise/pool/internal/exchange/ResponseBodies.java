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
import java.util.SequencedCollection;

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

  /** Whether the coding list is gzip alone. */
  public static boolean isGzip(String contentEncoding) {
    if (contentEncoding == null) {
      return false;
    }
    String c = contentEncoding.trim();
    return c.equalsIgnoreCase("gzip") || c.equalsIgnoreCase("x-gzip");
  }

  /**
   * The decoded size a whole gzip body declares in its last four bytes (ISIZE, RFC 1952: the size
   * modulo 2^32, of the last member only), or -1 for another coding. Only a hint for sizing the
   * output ({@link #read(String, InputStream, long, boolean, boolean, long)}), never trusted: the
   * decoder still counts what it produces against the limit, and the hint is capped at what deflate
   * can expand {@code rawSize} bytes to (1032:1), so a lying trailer cannot make a small body cost
   * a large array.
   *
   * @param chunks the whole raw body, in order, in as many arrays as it came in
   */
  public static long gzipSize(String coding, SequencedCollection<byte[]> chunks, long rawSize) {
    if (!isGzip(coding) || rawSize < 18) { // the smallest gzip member: header 10, trailer 8
      return -1;
    }
    long size = 0;
    int shift = 24;
    int need = 4;
    // The four bytes may straddle chunks (DATA frames): walk back from the last one.
    for (byte[] chunk : chunks.reversed()) {
      for (int i = chunk.length - 1; i >= 0 && need > 0; i--, need--, shift -= 8) {
        size |= (long) (chunk[i] & 0xff) << shift;
      }
      if (need == 0) {
        break;
      }
    }
    return Math.min(size, rawSize * 1032);
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
    try {
      return readDecoded(in, max, maxBytes, truncate, rawCut, sizeHint);
    } finally {
      endDecoders(in, raw);
    }
  }

  private static byte[] readDecoded(
      InputStream in, long max, long maxBytes, boolean truncate, boolean rawCut, long sizeHint)
      throws IOException {
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
          // Full: one byte more, or the end, says whether another block is needed. A body that
          // ends here (the hint was right, or a page of exactly the block's size) is this array.
          int next = InputStreams.readByte(in);
          if (next < 0) {
            break;
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
          buf[0] = (byte) next;
          pos = 1;
        } else {
          int r = in.read(buf, pos, buf.length - pos);
          if (r < 0) {
            break;
          }
          pos += r;
        }
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
   * Ends the decoders over {@code raw}, if any, and leaves {@code raw} open. A gzip or deflate
   * decoder holds zlib's native state (about 40 KiB with its window) until it is ended; left to the
   * garbage collector's cleaner, thousands of them pile up between collections, and every new one
   * is slower to allocate. Used by every body that decodes: the buffered ones here, the streamed
   * ones when they end.
   */
  public static void endDecoders(InputStream decoders, InputStream raw) {
    if (decoders == raw) {
      return;
    }
    try {
      decoders.close(); // RawCap does not pass the close on
    } catch (IOException ignored) {
      // Nothing of the body depends on it: the decoders are done either way.
    }
  }

  /**
   * The decoded body of {@code raw} as a stream, for a caller that reads it as it arrives: undoes
   * the coding incrementally (memory bounded by the decoders' windows, never by the body) and fails
   * with RESPONSE_TOO_LARGE past {@code maxBytes} decoded (or {@code maxBytes + RAW_SLACK} raw)
   * bytes. The limit is a long: a streamed body is not held in an array. Closing the returned
   * stream ends its decoders (their native memory goes back then, not at some later collection); it
   * does not close {@code raw}: its owner does.
   */
  public static InputStream stream(String contentEncoding, InputStream raw, long maxBytes)
      throws IOException {
    return new DecodedCap(decoding(contentEncoding, raw, maxBytes, false), raw, maxBytes);
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
   * decoder, and a decoder's own limit must not be the only one. Closing it ends the decoders and
   * leaves the raw body open.
   */
  private static final class DecodedCap extends InputStream {
    private final InputStream in;
    private final InputStream raw;
    private final long max;
    private long count;

    DecodedCap(InputStream in, InputStream raw, long max) {
      this.in = in;
      this.raw = raw;
      this.max = max;
    }

    @Override
    public void close() {
      endDecoders(in, raw);
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

    /** The raw body's owner closes it, never the decoders above. */
    @Override
    public void close() {}
  }
}
