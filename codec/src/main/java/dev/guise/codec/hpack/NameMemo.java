package dev.guise.codec.hpack;

import java.util.Locale;

/**
 * What the encoder last learned about a header name: its static table index, and one dynamic table
 * entry of that name (its value and insertion number, see {@link DynamicTable#indexOfAdded}). On a
 * hot connection the same fields come back request after request; with the memo each costs a hash,
 * two compares and a subtraction instead of the name's case check, the static table's map and a
 * scan of the dynamic table.
 *
 * <p>Direct-mapped and fixed in size: a name takes the slot its hash picks and pushes out whatever
 * name was there, so memory stays the same whatever names a connection sends. Only lower-case names
 * are kept (what HTTP/2 sends), so a hit also says the name needs no lowering. A miss, or an entry
 * that has been evicted, only sends the encoder down the long way; the memo never answers wrongly,
 * because the encoder never adds a field the dynamic table already holds, so an entry of {@code
 * name: value} still in the table is the only one.
 */
final class NameMemo {
  /** Slots; a power of two. Chrome's request list has about twenty names. */
  private static final int SLOTS = 32;

  private final String[] names = new String[SLOTS];
  private final int[] staticIndex = new int[SLOTS];
  private final String[] values = new String[SLOTS];

  /** Insertion number of the dynamic entry {@code names[i]: values[i]}, or -1 for none. */
  private final long[] entries = new long[SLOTS];

  /** Whether every lookup starts afresh (tests compare the encoder's bytes with and without). */
  private final boolean forgetful;

  NameMemo(boolean forgetful) {
    this.forgetful = forgetful;
  }

  /**
   * The slot of the field name {@code given}, as sent: lowered, with its static index, and with no
   * entry when the name was not kept (nor, forgetful, ever).
   */
  int slotFor(String given) {
    int slot = find(given);
    if (slot >= 0 && !forgetful) {
      return slot;
    }
    String name = lowerCase(given);
    if (name != given) {
      slot = find(name);
      if (slot >= 0 && !forgetful) {
        return slot;
      }
    }
    return remember(name, StaticTable.nameIndex(name));
  }

  private int find(String name) {
    int slot = slot(name);
    String kept = names[slot];
    return kept != null && kept.equals(name) ? slot : -1;
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

  /** Remembers a lower-case name and its static table index (0: not there), with no entry yet. */
  private int remember(String name, int nameStaticIndex) {
    int slot = slot(name);
    names[slot] = name;
    staticIndex[slot] = nameStaticIndex;
    values[slot] = null;
    entries[slot] = -1;
    return slot;
  }

  /** Remembers that the dynamic entry {@code slot's name: value} got insertion number {@code n}. */
  void rememberEntry(int slot, String value, long n) {
    values[slot] = value;
    entries[slot] = n;
  }

  private static int slot(String name) {
    int h = name.hashCode();
    return (h ^ (h >>> 16)) & (SLOTS - 1);
  }
}
