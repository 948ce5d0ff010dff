package dev.guise.codec.http2;

/**
 * One SETTINGS parameter as sent. A SETTINGS frame carries a list of these in wire order, never a
 * map: the order (and repeats) are part of a client's fingerprint.
 *
 * @param id the 16-bit identifier
 * @param value the 32-bit unsigned value
 */
public record Http2Setting(int id, long value) {
  public static final int HEADER_TABLE_SIZE = 0x1;
  public static final int ENABLE_PUSH = 0x2;
  public static final int MAX_CONCURRENT_STREAMS = 0x3;
  public static final int INITIAL_WINDOW_SIZE = 0x4;
  public static final int MAX_FRAME_SIZE = 0x5;
  public static final int MAX_HEADER_LIST_SIZE = 0x6;
  public static final int ENABLE_CONNECT_PROTOCOL = 0x8;
  public static final int NO_RFC7540_PRIORITIES = 0x9;

  public Http2Setting {
    if (id < 0 || id > 0xffff) {
      throw new IllegalArgumentException("setting id not 16 bits: " + id);
    }
    if (value < 0 || value > 0xffff_ffffL) {
      throw new IllegalArgumentException("setting value not 32 bits: " + value);
    }
  }

  @Override
  public String toString() {
    return id + ":" + value;
  }
}
