package dev.guise.tls.bouncycastle.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.bouncycastle.crypto.modes.gcm.GCMMultiplier;

/**
 * GHASH multiplication by the hash key H in GF(2^128) (NIST SP 800-38D, section 6.3) with one 4 KiB
 * table per key, held in a single flat {@code long[512]}.
 *
 * <p>Why it exists: BouncyCastle's default multiplier keeps the same 256 products in 256 separate
 * {@code long[2]} arrays, and the object headers and references nearly double its size. Every
 * AES-GCM connection holds two (one per direction), so on an idle pooled connection they were the
 * biggest single cost. This one retains 4,112 bytes for the table plus a 16-byte object, and does
 * the same work per block: 16 table look-ups, with the reduction done by shifts, needing no second
 * table.
 *
 * <p>Representation (SP 800-38D, 6.3): block byte 0's most significant bit is the coefficient of
 * x^0 and byte 15's least significant bit that of x^127. Read as a big-endian 128-bit number {@code
 * hi:lo}, coefficient x^i is bit 127-i, so multiplying by x is a right shift by one, and a
 * coefficient carried out past x^127 comes back as x^128 = x^7 + x^2 + x + 1 (the block R = 0xE1
 * followed by 15 zero bytes).
 *
 * <p>Table: entry b (0..255) holds b(x)·H, where b(x) is the byte b placed at block byte 0 (so its
 * bit 0x80 is x^0 and its bit 0x01 is x^7), stored as {@code table[2b] = hi, table[2b+1] = lo}. A
 * block X is the sum of X[i](x)·x^(8i), so X·H is evaluated by Horner's rule from byte 15 down to
 * byte 0: {@code Z = Z·x^8 + table[X[i]]}.
 *
 * <p>Not thread-safe: one instance per {@code GCMBlockCipher}, as BouncyCastle's are.
 */
public final class FlatTableGcmMultiplier implements GCMMultiplier {
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /** R's top byte: x^128 reduces to x^0 + x^1 + x^2 + x^7, i.e. bits 63, 62, 61 and 56 of hi. */
  private static final long R_HI = 0xE1L << 56;

  private final long[] table = new long[512];

  /** Builds the table for hash key {@code h} (16 bytes: E(K, 0^128)). */
  @Override
  public void init(byte[] h) {
    if (h.length != 16) {
      throw new IllegalArgumentException("a GCM hash key is 16 bytes, not " + h.length);
    }
    long[] t = table;
    long hi = (long) LONG_BE.get(h, 0);
    long lo = (long) LONG_BE.get(h, 8);
    // Single-bit entries: 0x80 is x^0·H = H, each next lower bit one more factor of x.
    for (int bit = 0x80; bit != 0; bit >>>= 1) {
      t[2 * bit] = hi;
      t[2 * bit + 1] = lo;
      long carry = -(lo & 1L); // all ones when x^127 is set and x·(that) needs reducing
      lo = (lo >>> 1) | (hi << 63);
      hi = (hi >>> 1) ^ (R_HI & carry);
    }
    t[0] = 0L;
    t[1] = 0L;
    // Multiplication distributes over xor: (p + j)·H = p·H + j·H for a single bit p above j.
    for (int p = 2; p < 256; p <<= 1) {
      long pHi = t[2 * p];
      long pLo = t[2 * p + 1];
      for (int j = 1; j < p; j++) {
        t[2 * (p + j)] = pHi ^ t[2 * j];
        t[2 * (p + j) + 1] = pLo ^ t[2 * j + 1];
      }
    }
  }

  /** Replaces the 16-byte block {@code x} with x·H. */
  @Override
  public void multiplyH(byte[] x) {
    long[] t = table;
    int i = (x[15] & 0xFF) << 1;
    long hi = t[i];
    long lo = t[i + 1];
    for (int n = 14; n >= 0; n--) {
      i = (x[n] & 0xFF) << 1;
      // Z·x^8: shift right a byte; the byte leaving lo held x^120..x^127, which become
      // x^128..x^135 and reduce to (that byte)·(x^0 + x^1 + x^2 + x^7) at the top of hi.
      long out = lo << 56;
      lo = t[i + 1] ^ ((lo >>> 8) | (hi << 56));
      hi = t[i] ^ (hi >>> 8) ^ out ^ (out >>> 1) ^ (out >>> 2) ^ (out >>> 7);
    }
    LONG_BE.set(x, 0, hi);
    LONG_BE.set(x, 8, lo);
  }
}
