package dev.guise.pool.internal.exchange;

import dev.guise.api.Header;
import dev.guise.codec.hpack.HpackDecoder;
import dev.guise.codec.hpack.HpackEncoder;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A loopback TLS server (JDK, test CA certificate) that reads the client's preface and frames and
 * answers with whatever a test scripts, including what no honest server would send. Records every
 * client frame in order.
 */
final class ScriptedH2Server implements AutoCloseable {
  record Frame(int type, int flags, int stream, byte[] payload) {
    int int32(int off) {
      return (payload[off] & 0xff) << 24
          | (payload[off + 1] & 0xff) << 16
          | (payload[off + 2] & 0xff) << 8
          | (payload[off + 3] & 0xff);
    }
  }

  interface Script {
    void run(ScriptedH2Server s) throws Exception;
  }

  private final SSLServerSocket listener;
  private final Thread thread;
  final List<Frame> received = Collections.synchronizedList(new ArrayList<>());
  final HpackDecoder decoder = new HpackDecoder(65536, 1 << 20);
  final HpackEncoder encoder = new HpackEncoder();
  private volatile SSLSocket socket;
  private DataInputStream in;
  OutputStream out;
  volatile Throwable failure;

  ScriptedH2Server(String alpn, Script script) throws IOException {
    listener =
        (SSLServerSocket)
            TlsPeers.SERVER
                .serverSslContext()
                .getServerSocketFactory()
                .createServerSocket(0, 5, InetAddress.getLoopbackAddress());
    SSLParameters params = listener.getSSLParameters();
    params.setApplicationProtocols(new String[] {alpn});
    listener.setSSLParameters(params);
    thread =
        Thread.ofPlatform()
            .daemon()
            .name("scripted-server")
            .start(
                () -> {
                  try {
                    socket = (SSLSocket) listener.accept();
                    socket.setSoTimeout(10_000);
                    in = new DataInputStream(socket.getInputStream());
                    out = socket.getOutputStream();
                    script.run(this);
                  } catch (Throwable t) {
                    failure = t;
                  }
                });
  }

  int port() {
    return listener.getLocalPort();
  }

  InputStream rawIn() {
    return in;
  }

  void readPreface() throws IOException {
    byte[] magic = new byte[24];
    in.readFully(magic);
    if (!new String(magic, StandardCharsets.US_ASCII).equals("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")) {
      throw new IOException("bad preface");
    }
  }

  Frame read() throws IOException {
    byte[] head = new byte[9];
    in.readFully(head);
    int length = (head[0] & 0xff) << 16 | (head[1] & 0xff) << 8 | (head[2] & 0xff);
    byte[] payload = new byte[length];
    in.readFully(payload);
    Frame f =
        new Frame(
            head[3] & 0xff,
            head[4] & 0xff,
            ((head[5] & 0x7f) << 24)
                | ((head[6] & 0xff) << 16)
                | ((head[7] & 0xff) << 8)
                | (head[8] & 0xff),
            payload);
    received.add(f);
    return f;
  }

  /** Reads frames until one of {@code type} arrives, answering nothing. */
  Frame readUntil(int type) throws IOException {
    while (true) {
      Frame f = read();
      if (f.type() == type) {
        return f;
      }
    }
  }

  /** The request header list of a HEADERS frame (no CONTINUATION), priority and padding skipped. */
  List<Header> decode(Frame headers) throws IOException {
    int off = (headers.flags() & 0x20) != 0 ? 5 : 0;
    return decoder.decode(Arrays.copyOfRange(headers.payload(), off, headers.payload().length));
  }

  void write(int type, int flags, int stream, byte[] payload) throws IOException {
    out.write(frame(type, flags, stream, payload));
    out.flush();
  }

  static byte[] frame(int type, int flags, int stream, byte[] payload) {
    byte[] f = new byte[9 + payload.length];
    f[0] = (byte) (payload.length >>> 16);
    f[1] = (byte) (payload.length >>> 8);
    f[2] = (byte) payload.length;
    f[3] = (byte) type;
    f[4] = (byte) flags;
    f[5] = (byte) (stream >>> 24);
    f[6] = (byte) (stream >>> 16);
    f[7] = (byte) (stream >>> 8);
    f[8] = (byte) stream;
    System.arraycopy(payload, 0, f, 9, payload.length);
    return f;
  }

  static byte[] int32(int... values) {
    byte[] b = new byte[values.length * 4];
    for (int i = 0; i < values.length; i++) {
      b[i * 4] = (byte) (values[i] >>> 24);
      b[i * 4 + 1] = (byte) (values[i] >>> 16);
      b[i * 4 + 2] = (byte) (values[i] >>> 8);
      b[i * 4 + 3] = (byte) values[i];
    }
    return b;
  }

  /** Empty SETTINGS and the ACK of the client's. */
  void settingsAndAck() throws IOException {
    write(4, 0, 0, new byte[0]);
    write(4, 1, 0, new byte[0]);
  }

  void respond(int stream, int status, List<Header> headers, byte[] body) throws IOException {
    List<Header> all = new ArrayList<>();
    all.add(new Header(":status", Integer.toString(status)));
    all.addAll(headers);
    byte[] block = encoder.encode(all);
    write(1, 0x4 | (body == null ? 1 : 0), stream, block);
    if (body != null) {
      write(0, 1, stream, body);
    }
  }

  /** Reads and discards what the client sends, on another thread (our writes never stall it). */
  void drainInBackground() {
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                while (true) {
                  read();
                }
              } catch (IOException | RuntimeException ignored) {
                // the client went away
              }
            });
  }

  void awaitClientClose() {
    try {
      while (true) {
        read();
      }
    } catch (EOFException | SocketException | SSLException closed) {
      // expected
    } catch (IOException e) {
      // timeouts etc.: the test's assertions tell
    }
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      b.writeBytes(p);
    }
    return b.toByteArray();
  }

  @Override
  public void close() throws Exception {
    listener.close();
    if (socket != null) {
      socket.close();
    }
    thread.join(5000);
  }
}
