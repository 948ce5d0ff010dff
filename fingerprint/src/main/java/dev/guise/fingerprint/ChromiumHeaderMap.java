package dev.guise.fingerprint;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The order in which Chromium's renderer lists a request's header map: Blink keeps a request's
 * fields in a hash table keyed by the case-folded name (open addressing, triangular probing, eight
 * slots at first, doubled whenever it becomes half full) and hands them to the network stack in
 * slot order. So the order depends on the set of names and, where two collide, on the order they
 * went in. The hash is rapidhash (version 1, default seed and secrets) over the folded name as
 * UTF-16LE, its low 24 bits kept (zero becomes {@code 0x800000}). Found by experiment against
 * Chromium 156 (docs/profiles.md, "author_headers"); the algorithm's public description was the
 * guide; the code is our own.
 */
final class ChromiumHeaderMap {
  private static final long SEED = 0xbdd89aa982704029L;
  private static final long S0 = 0x2d358dccaa6c78a5L;
  private static final long S1 = 0x8bb84b93962eacc9L;
  private static final long S2 = 0x4b33a62ed433d4a3L;
  private static final int FIRST_SIZE = 8;

  private ChromiumHeaderMap() {}

  /** The names, inserted in this order, as the map lists them; names compare ignoring case. */
  static List<String> order(List<String> inserted) {
    String[] table = new String[FIRST_SIZE];
    int count = 0;
    for (String name : inserted) {
      insert(table, name);
      count++;
      // The table grows after the insert that makes it half full, re-inserting in slot order.
      if (count * 2 >= table.length) {
        String[] old = table;
        table = new String[old.length * 2];
        for (String n : old) {
          if (n != null) {
            insert(table, n);
          }
        }
      }
    }
    List<String> out = new ArrayList<>(count);
    for (String n : table) {
      if (n != null) {
        out.add(n);
      }
    }
    return out;
  }

  private static void insert(String[] table, String name) {
    int mask = table.length - 1;
    int i = hash(name) & mask;
    int step = 0;
    while (table[i] != null) {
      step++;
      i = (i + step) & mask;
    }
    table[i] = name;
  }

  /** Blink's case-folding hash of a header name (names are ASCII tokens). */
  static int hash(String name) {
    String folded = name.toLowerCase(Locale.ROOT);
    byte[] p = new byte[folded.length() * 2];
    for (int i = 0; i < folded.length(); i++) {
      p[2 * i] = (byte) folded.charAt(i);
      p[2 * i + 1] = (byte) (folded.charAt(i) >>> 8);
    }
    int h = (int) (rapidhash(p) & 0xffffff);
    return h == 0 ? 0x800000 : h;
  }

  private static long rapidhash(byte[] p) {
    int len = p.length;
    long seed = SEED ^ mix(SEED ^ S0, S1) ^ len;
    long a;
    long b;
    if (len <= 16) {
      if (len >= 4) {
        int last = len - 4;
        a = (read32(p, 0) << 32) | read32(p, last);
        int delta = (len & 24) >>> (len >>> 3);
        b = (read32(p, delta) << 32) | read32(p, last - delta);
      } else if (len > 0) {
        // Blink's folding reader reads a one-character name as that character alone.
        a = read16(p, 0);
        b = 0;
      } else {
        a = 0;
        b = 0;
      }
    } else {
      int i = len;
      int o = 0;
      if (i > 48) {
        long see1 = seed;
        long see2 = seed;
        do {
          seed = mix(read64(p, o) ^ S0, read64(p, o + 8) ^ seed);
          see1 = mix(read64(p, o + 16) ^ S1, read64(p, o + 24) ^ see1);
          see2 = mix(read64(p, o + 32) ^ S2, read64(p, o + 40) ^ see2);
          o += 48;
          i -= 48;
        } while (i >= 48);
        seed ^= see1 ^ see2;
      }
      if (i > 16) {
        seed = mix(read64(p, o) ^ S2, read64(p, o + 8) ^ seed ^ S1);
        if (i > 32) {
          seed = mix(read64(p, o + 16) ^ S2, read64(p, o + 24) ^ seed);
        }
      }
      a = read64(p, o + i - 16);
      b = read64(p, o + i - 8);
    }
    a ^= S1;
    b ^= seed;
    long lo = a * b;
    long hi = Math.unsignedMultiplyHigh(a, b);
    return mix(lo ^ S0 ^ len, hi ^ S1);
  }

  private static long mix(long a, long b) {
    return (a * b) ^ Math.unsignedMultiplyHigh(a, b);
  }

  private static long read16(byte[] p, int at) {
    return (p[at] & 0xffL) | (p[at + 1] & 0xffL) << 8;
  }

  private static long read32(byte[] p, int at) {
    return read16(p, at) | read16(p, at + 2) << 16;
  }

  private static long read64(byte[] p, int at) {
    return read32(p, at) | read32(p, at + 4) << 32;
  }
}
