package dev.guise.fingerprint;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One ClientHello extension exactly as on the wire: its type and its raw data (without the type and
 * length prefix). Immutable: the array is copied in and out.
 *
 * @param type the extension type, 0..65535 (GREASE values included)
 * @param data the extension data, at most 65535 bytes
 */
public record TlsExtension(int type, byte[] data) {
  public TlsExtension {
    if (type < 0 || type > 0xffff) {
      throw new IllegalArgumentException("extension type out of range: " + type);
    }
    Objects.requireNonNull(data, "data");
    if (data.length > 0xffff) {
      throw new IllegalArgumentException("extension data longer than 65535 bytes: " + data.length);
    }
    data = data.clone();
  }

  /** A copy of the extension data. */
  @Override
  public byte[] data() {
    return data.clone();
  }

  /** Writes type, length and data at {@code offset}; returns the offset after them. */
  int writeTo(byte[] out, int offset) {
    out[offset] = (byte) (type >>> 8);
    out[offset + 1] = (byte) type;
    out[offset + 2] = (byte) (data.length >>> 8);
    out[offset + 3] = (byte) data.length;
    System.arraycopy(data, 0, out, offset + 4, data.length);
    return offset + 4 + data.length;
  }

  /** The length of the extension data. */
  public int length() {
    return data.length;
  }

  /** Whether the type is a GREASE value (RFC 8701). */
  public boolean isGrease() {
    return ClientHello.isGrease(type);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TlsExtension other && other.type == type && Arrays.equals(other.data, data);
  }

  @Override
  public int hashCode() {
    return type * 31 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return String.format("%04x(%d bytes)=%s", type, data.length, HexFormat.of().formatHex(data));
  }
}
