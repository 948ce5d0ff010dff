package dev.guise.codec.hpack;

import java.util.Arrays;
import java.util.Locale;

/**
 * What the encoder last learned about a header name: its static table index, and one dynamic table
 * entry of that name (its value and insertion number, see {@link DynamicTable#indexOfAdded}). On a
 * hot connection the same fields come back request after request; with the memo each costs a hash,
 * two compares and a subtraction instead of the name's case check, the static table's map and a
 * scan of the dynamic table.
 *
 * <p>An open-addressed set of names with linear probing, fixed in size: it keeps up to {@link
 * #MAX_NAMES} names, and a name beyond those empties it, so memory stays the same whatever names a
 * connection sends. Probing matters: a browser's request list has twenty-odd names, and a slot per
 * hash alone made some of Chrome's (user-agent and sec-fetch-dest, :authority and accept-encoding)
 * push each other out on every request. Only lower-case names are kept (what HTTP/2 sends), so a
 * hit also says the name needs no lowering. A miss, or an entry that has been evicted, only sends
 * the encoder down the long way; the memo never answers wrongly, because the encoder never adds a
 * field the dynamic table already holds, so an entry of {@code name: value} still in the table is
 * the only one.
 */
final class NameMemo {
  /** Slots; a power of two. */
  private static final int SLOTS = 32;

  /**
   * Names kept before the memo starts afresh: three quarters of the slots, so a probe always ends
   * at an empty slot and stays short. Chrome's request list, with the session's optional names, has
   * 22.
   */
  static final int MAX_NAMES = 24;

  private final String[] names = new String[SLOTS];
  private final int[] staticIndex = new int[SLOTS];
  private final String[] values = new String[SLOTS];

  /** Insertion number of the dynamic entry {@code names[i]: values[i]}, or -1 for none. */
  private final long[] entries = new long[SLOTS];

  /** Whether every lookup starts afresh (tests compare the encoder's bytes with and without). */
  private final boolean forgetful;

  private int count;

  NameMemo(boolean forgetful) {
    this.forgetful = forgetful;
  }

  /**
   * The slot of the field name {@code given}, as sent: lowered, with its static index, and with no
   * entry when the name was not kept (nor, forgetful, ever).
   */
  int slotFor(String given) {
    int slot = find(given);
    if (slot < 0) {
      String name = lowerCase(given);
      if (name != given) {
        slot = find(name);
      }
      if (slot < 0) {
        return remember(name);
      }
    }
    if (forgetful) {
      forget(slot);
    }
    return slot;
  }

  /** The slot keeping {@code name}, or -1. */
  private int find(String name) {
    for (int slot = home(name); ; slot = (slot + 1) & (SLOTS - 1)) {
      String kept = names[slot];
      if (kept == null) {
        return -1;
      }
      if (kept.equals(name)) {
        return slot;
      }
    }
  }

  private static String lowerCase(String name) {
    for (int i = 0, n = name.length(); i < n; i++) {
      char c = name.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        return name.toLowerCase(Locale.ROOT);
      }
    }
    return name;
  }

  String name(int slot) {
    return names[slot];
  }

  int staticIndex(int slot) {
    return staticIndex[slot];
  }

  /**
   * The insertion number of the remembered dynamic entry of the slot's name if its value is {@code
   * value}, else -1.
   */
  long entry(int slot, String value) {
    String kept = values[slot];
    return kept != null && kept.equals(value) ? entries[slot] : -1;
  }

  /**
   * Keeps a lower-case name the memo does not hold, with its static table index and no entry yet;
   * empties the memo first when it is full.
   */
  private int remember(String name) {
    if (count == MAX_NAMES) {
      Arrays.fill(names, null);
      Arrays.fill(values, null);
      count = 0;
    }
    int slot = home(name);
    while (names[slot] != null) {
      slot = (slot + 1) & (SLOTS - 1);
    }
    names[slot] = name;
    count++;
    forget(slot);
    return slot;
  }

  /** Looks the slot's name up afresh in the static table and drops its dynamic entry. */
  private void forget(int slot) {
    staticIndex[slot] = StaticTable.nameIndex(names[slot]);
    values[slot] = null;
    entries[slot] = -1;
  }

  /** Remembers that the dynamic entry {@code slot's name: value} got insertion number {@code n}. */
  void rememberEntry(int slot, String value, long n) {
    values[slot] = value;
    entries[slot] = n;
  }

  private static int home(String name) {
    int h = name.hashCode();
    return (h ^ (h >>> 16)) & (SLOTS - 1);
  }
}
