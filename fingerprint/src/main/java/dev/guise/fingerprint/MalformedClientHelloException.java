package dev.guise.fingerprint;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.PoolAction;

/**
 * The bytes are not a well-formed TLS ClientHello. Thrown by {@link ClientHello#parse(byte[])} and
 * its siblings.
 *
 * <p>It is a checked {@link java.io.IOException} (a {@link ClassifiedIOException} of kind {@link
 * FailureKind#PROTOCOL_ERROR}) because the usual source of the bytes is a peer on the network: a
 * test server that reads a client's first flight should treat a broken hello like any other
 * protocol violation, not like a programming error. The message names the offset and what was
 * wrong; {@link #offset()} gives the offset on its own.
 *
 * <p>Offsets are counted from the start of the handshake message (its type byte), except for errors
 * in the TLS record layer, which are counted from the start of the input; {@link #inRecordLayer()}
 * tells which.
 */
public final class MalformedClientHelloException extends ClassifiedIOException {
  private static final long serialVersionUID = 1L;

  private final int offset;
  private final boolean inRecordLayer;

  /**
   * @param offset where the problem was found
   * @param inRecordLayer whether {@code offset} counts from the start of the input (record layer)
   *     rather than from the start of the handshake message
   * @param problem what was wrong, for example {@code "cipher_suites length 7 is odd"}
   */
  public MalformedClientHelloException(int offset, boolean inRecordLayer, String problem) {
    super(
        FailureKind.PROTOCOL_ERROR,
        false,
        PoolAction.DISCARD_CONNECTION,
        "malformed ClientHello at "
            + (inRecordLayer ? "input" : "handshake")
            + " offset "
            + offset
            + ": "
            + problem,
        null);
    this.offset = offset;
    this.inRecordLayer = inRecordLayer;
  }

  /** Where the problem was found; see {@link #inRecordLayer()} for what it counts from. */
  public int offset() {
    return offset;
  }

  /**
   * Whether {@link #offset()} counts from the start of the input rather than the handshake message.
   */
  public boolean inRecordLayer() {
    return inRecordLayer;
  }
}
