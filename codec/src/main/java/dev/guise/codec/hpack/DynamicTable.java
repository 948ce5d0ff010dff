package dev.guise.codec.hpack;

import dev.guise.api.Header;
import java.util.Arrays;

/**
 * The HPACK dynamic table (RFC 7541 section 2.3.2): a FIFO of entries, newest first, whose size
 * (sum of name + value + 32 octets) never exceeds the current maximum. A ring buffer, so adding and
 * evicting never copies entries.
 */
final class DynamicTable {
  static final int ENTRY_OVERHEAD = 32;

  private Header[] ring = new Header[16];

  /** Slot of the newest entry. */
  private int head = -1;

  private int count;

  /** How many entries were ever added: the next entry's insertion number. */
  private long added;

  private long size;
  private int maxSize;

  DynamicTable(int maxSize) {
    this.maxSize = maxSize;
  }

  static long entrySize(Header h) {
    return (long) h.name().length() + h.value().length() + ENTRY_OVERHEAD;
  }

  int length() {
    return count;
  }

  long size() {
    return size;
  }

  int maxSize() {
    return maxSize;
  }

  /** Entry {@code i}, 0 being the newest. */
  Header get(int i) {
    return ring[(head - i) & (ring.length - 1)];
  }

  void add(Header h) {
    long entrySize = entrySize(h);
    if (entrySize > maxSize) {
      // RFC 7541 section 4.4: an entry larger than the table empties it and is not added.
      clear();
      return;
    }
    while (size + entrySize > maxSize) {
      evictOldest();
    }
    if (count == ring.length) {
      grow();
    }
    head = (head + 1) & (ring.length - 1);
    ring[head] = h;
    count++;
    added++;
    size += entrySize;
  }

  void setMaxSize(int newMaxSize) {
    maxSize = newMaxSize;
    while (size > maxSize) {
      evictOldest();
    }
  }

  /** The insertion number the entry added last got, or -1 before the first. */
  long lastAdded() {
    return added - 1;
  }

  /**
   * Index (0 = newest) of the entry that got insertion number {@code number}, or -1 when it has
   * been evicted. Entries leave oldest first, so the entry is still there exactly when fewer than
   * {@code count} entries came after it.
   */
  int indexOfAdded(long number) {
    long after = added - 1 - number;
    return number >= 0 && after >= 0 && after < count ? (int) after : -1;
  }

  /** Index (0 = newest) of the entry {@code name: value}, or -1. */
  int indexOf(String name, String value) {
    for (int i = 0; i < count; i++) {
      Header h = get(i);
      if (h.name().equals(name) && h.value().equals(value)) {
        return i;
      }
    }
    return -1;
  }

  /** Index (0 = newest) of the first entry called {@code name}, or -1. */
  int indexOfName(String name) {
    for (int i = 0; i < count; i++) {
      if (get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /** Index (0 = newest) of the oldest entry called {@code name}, or -1. */
  int lastIndexOfName(String name) {
    for (int i = count - 1; i >= 0; i--) {
      if (get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private void evictOldest() {
    int slot = (head - count + 1) & (ring.length - 1);
    size -= entrySize(ring[slot]);
    ring[slot] = null;
    count--;
  }

  private void clear() {
    Arrays.fill(ring, null);
    head = -1;
    count = 0;
    size = 0;
  }

  private void grow() {
    Header[] bigger = new Header[ring.length * 2];
    // Copy oldest..newest to 0..count-1 so the newest lands at count-1.
    for (int i = 0; i < count; i++) {
      bigger[count - 1 - i] = get(i);
    }
    ring = bigger;
    head = count - 1;
  }
}
