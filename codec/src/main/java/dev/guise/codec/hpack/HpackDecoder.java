package dev.guise.codec.hpack;

import dev.guise.api.Header;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes HPACK header blocks (RFC 7541) into header lists, in wire order.
 *
 * <p>Limits, all enforced while decoding so that a hostile peer cannot grow memory:
 *
 * <ul>
 *   <li>the dynamic table never exceeds the {@code SETTINGS_HEADER_TABLE_SIZE} we advertised; a
 *       size update above it, after the first field of a block, or more than two in one block is a
 *       compression error;
 *   <li>the header list (RFC 9113 definition: name + value + 32 octets per field) may not exceed
 *       the maximum header list size. Past it, fields are no longer kept, but the rest of the block
 *       is still decoded so the dynamic table stays in step with the peer; then {@link
 *       HpackException} with {@code RESPONSE_TOO_LARGE} is thrown;
 *   <li>a literal string is never longer than the bytes left in the block (so allocation is bounded
 *       by the block, which the caller bounds).
 * </ul>
 *
 * <p>Field names are bytes; they are decoded as ISO-8859-1 so that every octet maps to one char.
 * Names with upper-case letters or characters a {@link Header} refuses are compression errors (RFC
 * 9113 section 8.2.1 makes such a field malformed).
 *
 * <p>Not thread-safe: one decoder belongs to one connection's reading side, and header blocks must
 * be decoded in the order they arrived. After a {@code PROTOCOL_ERROR} the decoder is out of step
 * and must be discarded with the connection.
 */
public final class HpackDecoder {
  /** RFC 7541 initial value of SETTINGS_HEADER_TABLE_SIZE. */
  public static final int DEFAULT_HEADER_TABLE_SIZE = 4096;

  private static final int MAX_SIZE_UPDATES_PER_BLOCK = 2;

  private final DynamicTable table;
  private final long maxHeaderListSize;

  /** The SETTINGS_HEADER_TABLE_SIZE in force: the largest size update we accept. */
  private int tableSizeLimit;

  /** We lowered the limit below the table's size: the next block must start with an update. */
  private boolean sizeUpdateRequired;

  private byte[] buf;
  private int pos;
  private int end;
  private byte[] huffmanScratch = new byte[256];

  /**
   * A decoder for a connection on which we advertise {@code headerTableSize} and accept header
   * lists up to {@code maxHeaderListSize} bytes.
   */
  public HpackDecoder(int headerTableSize, long maxHeaderListSize) {
    if (headerTableSize < 0) {
      throw new IllegalArgumentException("headerTableSize < 0: " + headerTableSize);
    }
    if (maxHeaderListSize < 0) {
      throw new IllegalArgumentException("maxHeaderListSize < 0: " + maxHeaderListSize);
    }
    // The table starts at the protocol default; a smaller advertised value is only in force once
    // the peer has seen it, and it then has to signal the shrink with a size update.
    this.table = new DynamicTable(DEFAULT_HEADER_TABLE_SIZE);
    this.tableSizeLimit = DEFAULT_HEADER_TABLE_SIZE;
    this.maxHeaderListSize = maxHeaderListSize;
    setHeaderTableSize(headerTableSize);
  }

  /**
   * Applies a new SETTINGS_HEADER_TABLE_SIZE of ours, once the peer has acknowledged it. If it is
   * smaller than the table's current maximum, the peer's next header block must begin with a size
   * update to at most the new value.
   */
  public void setHeaderTableSize(int headerTableSize) {
    if (headerTableSize < 0) {
      throw new IllegalArgumentException("headerTableSize < 0: " + headerTableSize);
    }
    tableSizeLimit = headerTableSize;
    if (table.maxSize() > headerTableSize) {
      sizeUpdateRequired = true;
    }
  }

  /** The header list limit this decoder enforces. */
  public long maxHeaderListSize() {
    return maxHeaderListSize;
  }

  /** Decodes a complete header block. */
  public List<Header> decode(byte[] block) throws HpackException {
    return decode(block, 0, block.length);
  }

  /**
   * Decodes the complete header block {@code block[offset..offset+length)} (all HEADERS or
   * PUSH_PROMISE and CONTINUATION fragments joined).
   *
   * @throws HpackException PROTOCOL_ERROR for a malformed block (connection must close);
   *     RESPONSE_TOO_LARGE when the header list exceeds the limit (decoder still usable)
   */
  public List<Header> decode(byte[] block, int offset, int length) throws HpackException {
    buf = block;
    pos = offset;
    end = offset + length;
    try {
      return decodeBlock();
    } finally {
      buf = null;
    }
  }

  private List<Header> decodeBlock() throws HpackException {
    List<Header> headers = new ArrayList<>(Math.min(32, 1 + (end - pos) / 4));
    long listSize = 0;
    boolean overLimit = false;
    boolean sawField = false;
    int sizeUpdates = 0;
    while (pos < end) {
      int b = buf[pos] & 0xff;
      Header field;
      if ((b & 0x80) != 0) {
        field = entry(readInt(7));
      } else if ((b & 0x40) != 0) {
        field = literal(readInt(6));
        table.add(field);
      } else if ((b & 0x20) != 0) {
        if (sawField) {
          throw HpackException.compression("dynamic table size update after a header field");
        }
        if (++sizeUpdates > MAX_SIZE_UPDATES_PER_BLOCK) {
          throw HpackException.compression("more than two dynamic table size updates in one block");
        }
        int newSize = readInt(5);
        if (newSize > tableSizeLimit) {
          throw HpackException.compression(
              "dynamic table size update to " + newSize + " above our limit " + tableSizeLimit);
        }
        table.setMaxSize(newSize);
        sizeUpdateRequired = false;
        continue;
      } else {
        // 0000xxxx without indexing, 0001xxxx never indexed: same shape, neither enters the table.
        field = literal(readInt(4));
      }
      if (sizeUpdateRequired) {
        throw HpackException.compression(
            "missing dynamic table size update after our limit shrank");
      }
      sawField = true;
      listSize += DynamicTable.entrySize(field);
      if (listSize > maxHeaderListSize) {
        overLimit = true;
      }
      if (!overLimit) {
        headers.add(field);
      }
    }
    if (sizeUpdateRequired && sawField) {
      throw HpackException.compression("missing dynamic table size update after our limit shrank");
    }
    if (overLimit) {
      throw HpackException.headerListTooLarge(maxHeaderListSize);
    }
    return headers;
  }

  private Header entry(int index) throws HpackException {
    if (index == 0) {
      throw HpackException.compression("index 0");
    }
    if (index <= StaticTable.LENGTH) {
      return StaticTable.ENTRIES[index];
    }
    int dynamicIndex = index - StaticTable.LENGTH - 1;
    if (dynamicIndex >= table.length()) {
      throw HpackException.compression("index " + index + " beyond the dynamic table");
    }
    return table.get(dynamicIndex);
  }

  private Header literal(int nameIndex) throws HpackException {
    String name = nameIndex == 0 ? readString() : entry(nameIndex).name();
    String value = readString();
    if (nameIndex == 0) {
      for (int i = 0, n = name.length(); i < n; i++) {
        char c = name.charAt(i);
        if (c >= 'A' && c <= 'Z') {
          throw HpackException.compression("upper-case header name: " + name);
        }
      }
    }
    try {
      return new Header(name, value);
    } catch (IllegalArgumentException e) {
      throw HpackException.compression("invalid header field: " + e.getMessage());
    }
  }

  /** Reads an integer with an {@code prefixBits}-bit prefix (RFC 7541 section 5.1). */
  private int readInt(int prefixBits) throws HpackException {
    int mask = (1 << prefixBits) - 1;
    int value = buf[pos++] & mask;
    if (value < mask) {
      return value;
    }
    long acc = value;
    int shift = 0;
    while (true) {
      if (pos >= end) {
        throw HpackException.compression("truncated integer");
      }
      if (shift > 28) {
        throw HpackException.compression("integer overflow");
      }
      int b = buf[pos++] & 0xff;
      acc += (long) (b & 0x7f) << shift;
      if (acc > Integer.MAX_VALUE) {
        throw HpackException.compression("integer overflow");
      }
      if ((b & 0x80) == 0) {
        return (int) acc;
      }
      shift += 7;
    }
  }

  private String readString() throws HpackException {
    if (pos >= end) {
      throw HpackException.compression("truncated string");
    }
    boolean huffman = (buf[pos] & 0x80) != 0;
    int length = readInt(7);
    if (length > end - pos) {
      throw HpackException.compression("string longer than the rest of the block");
    }
    String s;
    if (huffman) {
      int maxDecoded = (int) ((length * 8L) / 5);
      if (huffmanScratch.length < maxDecoded) {
        huffmanScratch = new byte[Math.max(maxDecoded, huffmanScratch.length * 2)];
      }
      int n = Huffman.decode(buf, pos, length, huffmanScratch);
      s = new String(huffmanScratch, 0, n, StandardCharsets.ISO_8859_1);
    } else {
      s = new String(buf, pos, length, StandardCharsets.ISO_8859_1);
    }
    pos += length;
    return s;
  }

  // Views of the dynamic table, for tests and diagnostics.

  /** Number of entries in the dynamic table. */
  public int dynamicTableLength() {
    return table.length();
  }

  /** Current size of the dynamic table in the RFC 7541 sense (sum of name + value + 32). */
  public long dynamicTableSize() {
    return table.size();
  }

  /** Current maximum size of the dynamic table (the last size update, or 4096). */
  public int dynamicTableMaxSize() {
    return table.maxSize();
  }

  /** Dynamic table entry {@code i}, 0 being the newest (HPACK index 62). */
  public Header dynamicTableEntry(int i) {
    if (i < 0 || i >= table.length()) {
      throw new IndexOutOfBoundsException(i);
    }
    return table.get(i);
  }
}
