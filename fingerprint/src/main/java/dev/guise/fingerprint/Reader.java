package dev.guise.fingerprint;

/**
 * A bounds-checked cursor over a byte range. Every read checks the remaining length first and
 * reports an overrun as a {@link MalformedClientHelloException} naming the offset and the field, so
 * a parser built on it can never throw ArrayIndexOutOfBoundsException and does work linear in the
 * input.
 */
final class Reader {
  private final byte[] buf;
  private final int end;
  private final int base;
  private final boolean recordLayer;
  private int pos;

  /**
   * @param buf the bytes
   * @param start first index to read
   * @param end index after the last byte to read
   * @param base what to subtract from an index to get the offset reported in errors
   * @param recordLayer whether reported offsets count from the start of the input
   */
  public Reader(byte[] buf, int start, int end, int base, boolean recordLayer) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
    this.base = base;
    this.recordLayer = recordLayer;
  }

  public int position() {
    return pos;
  }

  public int offset() {
    return pos - base;
  }

  public int remaining() {
    return end - pos;
  }

  public boolean hasRemaining() {
    return pos < end;
  }

  public MalformedClientHelloException error(String problem) {
    return new MalformedClientHelloException(pos - base, recordLayer, problem);
  }

  public MalformedClientHelloException errorAt(int index, String problem) {
    return new MalformedClientHelloException(index - base, recordLayer, problem);
  }

  private void need(int n, String field) throws MalformedClientHelloException {
    if (end - pos < n) {
      throw error(field + " needs " + n + " bytes but only " + (end - pos) + " remain");
    }
  }

  public int u8(String field) throws MalformedClientHelloException {
    need(1, field);
    return buf[pos++] & 0xff;
  }

  public int u16(String field) throws MalformedClientHelloException {
    need(2, field);
    int v = (buf[pos] & 0xff) << 8 | buf[pos + 1] & 0xff;
    pos += 2;
    return v;
  }

  public int u24(String field) throws MalformedClientHelloException {
    need(3, field);
    int v = (buf[pos] & 0xff) << 16 | (buf[pos + 1] & 0xff) << 8 | buf[pos + 2] & 0xff;
    pos += 3;
    return v;
  }

  public byte[] bytes(int n, String field) throws MalformedClientHelloException {
    need(n, field);
    byte[] out = new byte[n];
    System.arraycopy(buf, pos, out, 0, n);
    pos += n;
    return out;
  }

  /**
   * Reads a length prefix of {@code prefixBytes} (1 or 2) and returns a reader over exactly that
   * many following bytes, advancing this reader past them.
   */
  public Reader vector(int prefixBytes, String field) throws MalformedClientHelloException {
    int len = prefixBytes == 1 ? u8(field + " length") : u16(field + " length");
    need(len, field + " (declared length " + len + ")");
    Reader sub = new Reader(buf, pos, pos + len, base, recordLayer);
    pos += len;
    return sub;
  }

  /** Fails unless every byte has been read. */
  public void expectEnd(String field) throws MalformedClientHelloException {
    if (pos != end) {
      throw error((end - pos) + " unexpected trailing bytes in " + field);
    }
  }
}
