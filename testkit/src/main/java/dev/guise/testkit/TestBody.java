package dev.guise.testkit;

import java.time.Duration;
import java.util.Objects;

/**
 * A response body the server writes piece by piece, without holding it whole: large bodies (a
 * gigabyte for streaming tests) are generated as they are written. {@link #fill} may block, which
 * is how a body stalls mid-way.
 */
public interface TestBody {
  /** The body's length in bytes. */
  long length();

  /**
   * Whether the server declares the length: {@code content-length} (HTTP/2 and HTTP/1.1); when
   * false the HTTP/2 response has none and the HTTP/1.1 one is chunked.
   */
  default boolean declaresLength() {
    return true;
  }

  /** Writes the body's bytes {@code [position, position + len)} into {@code buf} at {@code off}. */
  void fill(long position, byte[] buf, int off, int len) throws InterruptedException;

  /** The bytes of an array. */
  static TestBody of(byte[] bytes) {
    byte[] copy = bytes.clone();
    return new TestBody() {
      @Override
      public long length() {
        return copy.length;
      }

      @Override
      public void fill(long position, byte[] buf, int off, int len) {
        System.arraycopy(copy, (int) position, buf, off, len);
      }
    };
  }

  /**
   * {@code length} pseudo-random bytes, the same for the same position every time: a client checks
   * what it received with {@link #expected}. Not periodic, so a body cut or shifted anywhere shows.
   */
  static TestBody generated(long length) {
    if (length < 0) {
      throw new IllegalArgumentException("negative length " + length);
    }
    return new TestBody() {
      @Override
      public long length() {
        return length;
      }

      @Override
      public void fill(long position, byte[] buf, int off, int len) {
        expected(position, buf, off, len);
      }
    };
  }

  /** The bytes {@link #generated} puts at {@code [position, position + len)}. */
  static void expected(long position, byte[] buf, int off, int len) {
    long word = 0;
    long wordIndex = -1;
    for (int i = 0; i < len; i++) {
      long p = position + i;
      if (p >>> 3 != wordIndex) {
        wordIndex = p >>> 3;
        word = mix(wordIndex);
      }
      buf[off + i] = (byte) (word >>> ((p & 7) << 3));
    }
  }

  /** SplitMix64's finaliser: a cheap, well-spread function of the position. */
  private static long mix(long z) {
    z = (z + 0x9E3779B97F4A7C15L) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** This body without a declared length (HTTP/2: no content-length; HTTP/1.1: chunked). */
  default TestBody withoutLength() {
    TestBody inner = this;
    return new TestBody() {
      @Override
      public long length() {
        return inner.length();
      }

      @Override
      public boolean declaresLength() {
        return false;
      }

      @Override
      public void fill(long position, byte[] buf, int off, int len) throws InterruptedException {
        inner.fill(position, buf, off, len);
      }
    };
  }

  /**
   * This body, stopping for {@code stall} the first time the server asks for bytes at or past
   * {@code at}: a server that goes quiet mid-body.
   */
  default TestBody stallingAt(long at, Duration stall) {
    Objects.requireNonNull(stall, "stall");
    TestBody inner = this;
    return new TestBody() {
      private volatile boolean stalled;

      @Override
      public long length() {
        return inner.length();
      }

      @Override
      public boolean declaresLength() {
        return inner.declaresLength();
      }

      @Override
      public void fill(long position, byte[] buf, int off, int len) throws InterruptedException {
        if (!stalled && position + len > at) {
          stalled = true;
          Thread.sleep(stall.toMillis());
        }
        inner.fill(position, buf, off, len);
      }
    };
  }
}
