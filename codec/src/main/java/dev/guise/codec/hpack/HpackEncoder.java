package dev.guise.codec.hpack;

import dev.guise.api.Header;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Encodes header lists into HPACK header blocks (RFC 7541), keeping the given order.
 *
 * <p>Each field is sent as an index when the static or dynamic table holds it; otherwise as a
 * literal whose name is indexed when possible, with the representation chosen per field by an
 * {@link IndexingPolicy} (incremental indexing by default, as browsers do). String literals are
 * Huffman-coded when that is strictly shorter. Names are sent in lower case (HTTP/2 requires it).
 *
 * <p>The dynamic table size is the smaller of this encoder's own maximum and the peer's {@code
 * SETTINGS_HEADER_TABLE_SIZE} ({@link #setPeerHeaderTableSize(int)}); when it changes, the next
 * block begins with the dynamic table size update(s) RFC 7541 section 4.2 requires.
 *
 * <p>Not thread-safe: blocks must be encoded in the order they are written to the connection, so
 * the caller serialises encoding and writing together.
 */
public final class HpackEncoder {
  /** How one literal field is represented (RFC 7541 section 6.2). */
  public enum Indexing {
    /**
     * An index when a table holds the field, else a literal with incremental indexing (added to the
     * dynamic table).
     */
    INCREMENTAL,
    /**
     * Always a literal without indexing (only the name may be indexed), even when a table holds the
     * field: Firefox sends {@code :path} this way.
     */
    WITHOUT_INDEXING,
    /** Always a literal never indexed: intermediaries must not index it either. */
    NEVER_INDEXED
  }

  /** When string literals are Huffman-coded (RFC 7541 section 5.2). */
  public enum HuffmanPolicy {
    /** Never: every string raw. */
    NEVER,
    /** When the Huffman form is strictly shorter (what Chrome does). */
    WHEN_SHORTER,
    /**
     * When the Huffman form is no longer than the raw one (what Firefox does: {@code 1} and {@code
     * ?1} go Huffman-coded at equal length).
     */
    WHEN_NOT_LONGER,
    /** Always, even when it is no shorter (what the RFC 7541 examples do). */
    ALWAYS
  }

  /**
   * Which table entry a literal's name refers to when more than one holds the name (RFC 7541 leaves
   * it to the encoder; browsers differ, and the indices are on the wire).
   */
  public enum NameReference {
    /** The static table's entry if it has the name, else the newest dynamic entry (Chrome). */
    STATIC_THEN_NEWEST_DYNAMIC,
    /**
     * The highest index holding the name: the oldest dynamic entry, else the static table's last
     * entry of the name (Firefox: {@code :path} as 5, {@code accept} from the dynamic table).
     */
    HIGHEST_INDEX
  }

  /** Chooses the representation of each field. Called with the lower-case name. */
  @FunctionalInterface
  public interface IndexingPolicy {
    Indexing indexing(String name, String value);

    /** Every field with incremental indexing (browser default). */
    static IndexingPolicy incremental() {
      return (name, value) -> Indexing.INCREMENTAL;
    }

    /** {@code NEVER_INDEXED} for the given lower-case names, incremental for the rest. */
    static IndexingPolicy neverIndex(Set<String> names) {
      Set<String> copy = Set.copyOf(names);
      return (name, value) -> copy.contains(name) ? Indexing.NEVER_INDEXED : Indexing.INCREMENTAL;
    }
  }

  private final int ownMaxTableSize;
  private final IndexingPolicy policy;
  private final HuffmanPolicy huffman;
  private final NameReference nameReference;
  private final DynamicTable table;

  /** What each name's last field taught. */
  private final NameMemo memo;

  /** Smallest table size since the last block, and the latest; -1 when unchanged. */
  private int pendingMinSize = -1;

  private int pendingSize = -1;
  private byte[] out = new byte[512];
  private int pos;

  /** An encoder with a 4096-byte table and incremental indexing of every field. */
  public HpackEncoder() {
    this(HpackDecoder.DEFAULT_HEADER_TABLE_SIZE, IndexingPolicy.incremental());
  }

  /**
   * @param maxTableSize the largest dynamic table this encoder will use, whatever the peer allows
   * @param policy the representation of each literal field
   */
  public HpackEncoder(int maxTableSize, IndexingPolicy policy) {
    this(maxTableSize, policy, HuffmanPolicy.WHEN_SHORTER);
  }

  /**
   * @param maxTableSize the largest dynamic table this encoder will use, whatever the peer allows
   * @param policy the representation of each literal field
   * @param huffman when to Huffman-code string literals
   */
  public HpackEncoder(int maxTableSize, IndexingPolicy policy, HuffmanPolicy huffman) {
    this(maxTableSize, policy, huffman, NameReference.STATIC_THEN_NEWEST_DYNAMIC);
  }

  /**
   * @param maxTableSize the largest dynamic table this encoder will use, whatever the peer allows
   * @param policy the representation of each literal field
   * @param huffman when to Huffman-code string literals
   * @param nameReference which entry a literal's name refers to
   */
  public HpackEncoder(
      int maxTableSize, IndexingPolicy policy, HuffmanPolicy huffman, NameReference nameReference) {
    this(maxTableSize, policy, huffman, nameReference, true);
  }

  /** As above; {@code memoized} false takes the long way for every field (tests compare both). */
  HpackEncoder(
      int maxTableSize,
      IndexingPolicy policy,
      HuffmanPolicy huffman,
      NameReference nameReference,
      boolean memoized) {
    this.memo = new NameMemo(!memoized);
    this.nameReference = Objects.requireNonNull(nameReference, "nameReference");
    this.huffman = Objects.requireNonNull(huffman, "huffman");
    if (maxTableSize < 0) {
      throw new IllegalArgumentException("maxTableSize < 0: " + maxTableSize);
    }
    this.ownMaxTableSize = maxTableSize;
    this.policy = Objects.requireNonNull(policy, "policy");
    // Both sides start at the protocol default; a smaller own maximum is announced in block one.
    this.table = new DynamicTable(HpackDecoder.DEFAULT_HEADER_TABLE_SIZE);
    changeTableSize(Math.min(maxTableSize, HpackDecoder.DEFAULT_HEADER_TABLE_SIZE));
  }

  /** Applies the peer's SETTINGS_HEADER_TABLE_SIZE. */
  public void setPeerHeaderTableSize(int headerTableSize) {
    if (headerTableSize < 0) {
      throw new IllegalArgumentException("headerTableSize < 0: " + headerTableSize);
    }
    changeTableSize(Math.min(ownMaxTableSize, headerTableSize));
  }

  private void changeTableSize(int newSize) {
    int current = pendingSize >= 0 ? pendingSize : table.maxSize();
    if (newSize == current) {
      return;
    }
    pendingSize = newSize;
    pendingMinSize = pendingMinSize < 0 ? newSize : Math.min(pendingMinSize, newSize);
  }

  /**
   * Encodes one header block.
   *
   * @return the block, exactly as long as its content
   * @throws IllegalArgumentException if a name or value has a char above 0xff
   */
  public byte[] encode(List<Header> headers) {
    pos = 0;
    if (pendingSize >= 0) {
      // A shrink followed by a growth must still be signalled as a shrink first, or the peer's
      // decoder would keep entries ours evicted (RFC 7541 section 4.2).
      boolean shrankInBetween = pendingMinSize < pendingSize && pendingMinSize < table.maxSize();
      if (shrankInBetween) {
        writeInt(pendingMinSize, 5, 0x20);
        table.setMaxSize(pendingMinSize);
      }
      if (shrankInBetween || pendingSize != table.maxSize()) {
        writeInt(pendingSize, 5, 0x20);
        table.setMaxSize(pendingSize);
      }
      pendingSize = -1;
      pendingMinSize = -1;
    }
    for (int i = 0, n = headers.size(); i < n; i++) {
      encodeField(headers.get(i));
    }
    return Arrays.copyOf(out, pos);
  }

  private void encodeField(Header header) {
    String given = header.name();
    String value = header.value();
    int slot = memo.slotFor(given);
    String name = memo.name(slot);
    int staticNameIndex = memo.staticIndex(slot);
    Indexing indexing = policy.indexing(name, value);
    if (indexing == Indexing.INCREMENTAL) {
      if (staticNameIndex != 0) {
        int full = StaticTable.fullIndex(staticNameIndex, name, value);
        if (full != 0) {
          writeInt(full, 7, 0x80);
          return;
        }
      }
      int dynamic = table.indexOfAdded(memo.entry(slot, value));
      if (dynamic < 0) {
        dynamic = table.indexOf(name, value);
        if (dynamic >= 0) {
          memo.rememberEntry(slot, value, table.lastAdded() - dynamic);
        }
      }
      if (dynamic >= 0) {
        writeInt(dynamic + StaticTable.LENGTH + 1, 7, 0x80);
        return;
      }
    }
    int nameIndex = nameIndex(name, staticNameIndex);
    switch (indexing) {
      case INCREMENTAL -> writeInt(nameIndex, 6, 0x40);
      case WITHOUT_INDEXING -> writeInt(nameIndex, 4, 0x00);
      case NEVER_INDEXED -> writeInt(nameIndex, 4, 0x10);
    }
    if (nameIndex == 0) {
      writeString(name);
    }
    writeString(value);
    if (indexing == Indexing.INCREMENTAL) {
      long before = table.lastAdded();
      table.add(name == given ? header : new Header(name, value));
      // An entry larger than the whole table empties it and is not added.
      if (table.lastAdded() != before) {
        memo.rememberEntry(slot, value, table.lastAdded());
      }
    }
  }

  private int nameIndex(String name, int staticNameIndex) {
    if (nameReference == NameReference.HIGHEST_INDEX) {
      int dynamic = table.lastIndexOfName(name);
      return dynamic >= 0 ? dynamic + StaticTable.LENGTH + 1 : StaticTable.lastNameIndex(name);
    }
    if (staticNameIndex != 0) {
      return staticNameIndex;
    }
    int dynamic = table.indexOfName(name);
    return dynamic >= 0 ? dynamic + StaticTable.LENGTH + 1 : 0;
  }

  private void writeInt(int value, int prefixBits, int firstByteFlags) {
    ensure(6);
    int max = (1 << prefixBits) - 1;
    if (value < max) {
      out[pos++] = (byte) (firstByteFlags | value);
      return;
    }
    out[pos++] = (byte) (firstByteFlags | max);
    value -= max;
    while (value >= 0x80) {
      out[pos++] = (byte) ((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    out[pos++] = (byte) value;
  }

  private void writeString(String s) {
    int length = s.length();
    int huffmanLength = Huffman.encodedLength(s);
    if (huffmanLength < 0) {
      throw new IllegalArgumentException("header text must be octets (chars up to 0xff): " + s);
    }
    boolean useHuffman =
        switch (huffman) {
          case NEVER -> false;
          case WHEN_SHORTER -> huffmanLength < length;
          case WHEN_NOT_LONGER -> huffmanLength <= length;
          case ALWAYS -> true;
        };
    if (useHuffman) {
      writeInt(huffmanLength, 7, 0x80);
      ensure(huffmanLength);
      pos = Huffman.encode(s, out, pos);
    } else {
      writeInt(length, 7, 0x00);
      ensure(length);
      for (int i = 0; i < length; i++) {
        out[pos++] = (byte) s.charAt(i);
      }
    }
  }

  private void ensure(int more) {
    if (pos + more > out.length) {
      out = Arrays.copyOf(out, Math.max(out.length * 2, pos + more));
    }
  }

  /** Current maximum size of the dynamic table (before any pending size update). */
  public int dynamicTableMaxSize() {
    return table.maxSize();
  }

  /** Number of entries in the dynamic table. */
  public int dynamicTableLength() {
    return table.length();
  }

  /** Current size of the dynamic table (sum of name + value + 32). */
  public long dynamicTableSize() {
    return table.size();
  }
}
