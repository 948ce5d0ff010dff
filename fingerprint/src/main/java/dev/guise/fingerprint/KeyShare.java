package dev.guise.fingerprint;

import java.util.Arrays;
import java.util.Objects;

/**
 * One entry of the key_share extension. Immutable: the key is copied in and out.
 *
 * @param group the named group (GREASE values included)
 * @param key the key exchange bytes
 */
public record KeyShare(int group, byte[] key) {
  public KeyShare {
    if (group < 0 || group > 0xffff) {
      throw new IllegalArgumentException("group out of range: " + group);
    }
    key = Objects.requireNonNull(key, "key").clone();
  }

  /** A copy of the key exchange bytes. */
  @Override
  public byte[] key() {
    return key.clone();
  }

  /** The length of the key exchange bytes. */
  public int keyLength() {
    return key.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyShare other && other.group == group && Arrays.equals(other.key, key);
  }

  @Override
  public int hashCode() {
    return group * 31 + Arrays.hashCode(key);
  }

  @Override
  public String toString() {
    return String.format("%04x(%d bytes)", group, key.length);
  }
}
