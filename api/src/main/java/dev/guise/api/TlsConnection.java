package dev.guise.api;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * An established TLS connection, as a pair of streams over the socket it was opened on.
 *
 * <p>Threading: one thread may read while another writes; concurrent reads, or concurrent writes,
 * need the caller's own coordination (the HTTP/2 codec has one reader thread and serialises
 * writes). {@link #close()} may be called from any thread at any time, and unblocks a blocked read.
 *
 * <p>Ownership: the connection owns the socket it was opened over. Closing it sends close_notify
 * where it can (bounded by a short timeout) and always closes the socket. Closing twice is
 * harmless.
 */
public interface TlsConnection extends Closeable {

  /**
   * Decrypted bytes from the peer. A read blocks at most the {@link #setReadTimeout read timeout}.
   */
  InputStream input() throws IOException;

  /**
   * Bytes to the peer, encrypted. Callers flush to send; writes are bounded by the socket's
   * buffers.
   */
  OutputStream output() throws IOException;

  /** What the handshake agreed on. */
  NegotiatedTls negotiated();

  /**
   * How many session tickets from this connection the engine has kept so far, for later connections
   * to the same host to resume with; empty when the engine cannot tell. TLS 1.3 tickets arrive
   * after the handshake, as the connection is read, so the count grows while the connection is
   * used. Zero from an engine that does not resume, or when the request turned resumption off. The
   * pool's warm-up paces its connections by it.
   */
  default OptionalInt ticketsKept() {
    return OptionalInt.empty();
  }

  /**
   * Says that what was just sent (or is about to be) asks for a reply, such as a request: the next
   * wait for input is expected to be short. An engine may then wait through a buffer borrowed for
   * that wait, so that one read of the socket brings a whole record where a wait that holds no
   * buffer (right for an idle connection) needs a second read. A hint only: what reads return is
   * the same either way. The default ignores it.
   */
  default void replyDue() {}

  /** The address the socket is connected to. */
  InetSocketAddress remoteAddress();

  /**
   * The longest a single read may block before failing with {@link
   * java.net.SocketTimeoutException}; zero means no limit. Guise sets zero only where something
   * else bounds the read (a deadline that closes the connection), because a virtual thread's read
   * with a timeout is a timed park, which costs the JDK's scheduler a timer per read.
   */
  void setReadTimeout(Duration timeout) throws IOException;

  /**
   * True until this side closed the connection or saw the peer close it. A true answer says nothing
   * about whether the peer will still answer: it costs no I/O.
   */
  boolean isOpen();

  /** Closes the connection and its socket; never throws for a connection already closed. */
  @Override
  void close() throws IOException;
}
