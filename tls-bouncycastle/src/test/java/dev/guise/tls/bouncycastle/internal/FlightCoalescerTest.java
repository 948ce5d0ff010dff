package dev.guise.tls.bouncycastle.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.TlsConnectRequest;
import dev.guise.api.TlsConnection;
import dev.guise.api.TlsEndpoint;
import dev.guise.testing.InterceptedSocket;
import dev.guise.testing.OpenSslServer;
import dev.guise.testkit.tls.IssuedCertificate;
import dev.guise.testkit.tls.TestCertificateAuthority;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The records of a flight leave in one write: held while BouncyCastle writes and flushes each, sent
 * before the handshake reads (a lone ChangeCipherSpec excepted) and, after the handshake, with the
 * owner's first flush. Unit cases over a recording stream, then a real handshake with {@code
 * openssl s_server}, counting the writes on the client's socket.
 */
@Timeout(60)
class FlightCoalescerTest {
  private static final byte[] CCS = {20, 3, 3, 0, 1, 1};

  /** Each write call, as it reached the socket. */
  private static final class Writes extends OutputStream {
    final List<byte[]> calls = new ArrayList<>();
    boolean closed;

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      calls.add(Arrays.copyOfRange(b, off, off + len));
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  private static byte[] record(int type, int length) {
    byte[] r = new byte[5 + length];
    r[0] = (byte) type;
    r[1] = 3;
    r[2] = 3;
    r[3] = (byte) (length >>> 8);
    r[4] = (byte) length;
    return r;
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  private static void writeRecord(OutputStream out, byte[] record) throws IOException {
    out.write(record, 0, record.length);
    out.flush(); // as BouncyCastle does after each record
  }

  @Test
  void aHandshakeReadSendsTheHeldRecordsAndTheLastFlightLeavesWithTheFirstFlush()
      throws IOException {
    Writes socket = new Writes();
    FlightCoalescer flight = new FlightCoalescer(socket);
    InputStream in = flight.sendingBeforeReads(new ByteArrayInputStream(new byte[64]));
    byte[] hello = record(22, 300);
    writeRecord(flight, hello);
    assertEquals(0, socket.calls.size(), "held: BouncyCastle's flush is not yet the time");
    in.read(new byte[5]);
    assertEquals(1, socket.calls.size(), "the handshake reads: the peer needs the hello first");
    assertArrayEquals(hello, socket.calls.get(0));

    writeRecord(flight, CCS); // on the ServerHello, before the rest of the server's flight is read
    in.read(new byte[5]);
    assertEquals(1, socket.calls.size(), "a lone ChangeCipherSpec waits for the Finished");
    byte[] finished = record(23, 53);
    writeRecord(flight, finished);
    flight.handshakeDone();
    assertEquals(1, socket.calls.size());

    byte[] preface = record(23, 120);
    writeRecord(flight, preface);
    flight.release(); // the owner's first flush
    assertEquals(2, socket.calls.size());
    assertArrayEquals(concat(CCS, finished, preface), socket.calls.get(1), "one write");
    assertFalse(flight.isHolding());

    byte[] later = record(23, 40);
    writeRecord(flight, later);
    assertEquals(3, socket.calls.size(), "released: every write goes straight out");
    assertArrayEquals(later, socket.calls.get(2));
  }

  @Test
  void theFirstReadAfterTheHandshakeSendsTheLastFlight() throws IOException {
    Writes socket = new Writes();
    FlightCoalescer flight = new FlightCoalescer(socket);
    InputStream in = flight.sendingBeforeReads(new ByteArrayInputStream(new byte[64]));
    writeRecord(flight, CCS);
    byte[] finished = record(23, 53);
    writeRecord(flight, finished);
    flight.handshakeDone();
    in.read(); // a reader that starts before the owner writes: the server needs the Finished
    assertEquals(1, socket.calls.size());
    assertArrayEquals(concat(CCS, finished), socket.calls.get(0));
    assertFalse(flight.isHolding());
  }

  @Test
  void moreThanItHoldsGoesOutAtOnceAndEndsTheHolding() throws IOException {
    Writes socket = new Writes();
    FlightCoalescer flight = new FlightCoalescer(socket);
    flight.handshakeDone();
    byte[] first = record(23, 1_000);
    byte[] big = record(23, FlightCoalescer.MOST_HELD);
    writeRecord(flight, first);
    writeRecord(flight, big);
    assertEquals(2, socket.calls.size());
    assertArrayEquals(first, socket.calls.get(0));
    assertArrayEquals(big, socket.calls.get(1));
    assertFalse(flight.isHolding());
  }

  @Test
  void closingSendsWhatIsHeldThenCloses() throws IOException {
    Writes socket = new Writes();
    FlightCoalescer flight = new FlightCoalescer(socket);
    byte[] alert = record(21, 2);
    writeRecord(flight, alert);
    flight.close();
    assertEquals(1, socket.calls.size());
    assertArrayEquals(alert, socket.calls.get(0));
    assertTrue(socket.closed);
  }

  /** Counts the write calls that reach the socket, and forwards them. */
  private static final class Counting extends OutputStream {
    final Writes writes = new Writes();
    private final OutputStream real;

    Counting(OutputStream real) {
      this.real = real;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      writes.write(b, off, len);
      real.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      real.flush();
    }
  }

  @Test
  void againstOpenSslTheClientsLastFlightLeavesWithItsFirstRequest(@TempDir Path dir)
      throws Exception {
    String host = "www.flight.test";
    TestCertificateAuthority ca = TestCertificateAuthority.create("Guise flight test root");
    IssuedCertificate.PemFiles pem = ca.issue(host).writePem(dir);
    try (OpenSslServer openssl = new OpenSslServer(pem.certificateChain(), pem.privateKey())) {
      Socket plain = new Socket();
      plain.connect(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), openssl.port()), 10_000);
      Counting counting = new Counting(plain.getOutputStream());
      Socket socket = new InterceptedSocket(plain, counting);
      TlsConnectRequest request =
          new TlsConnectRequest(
              new TlsEndpoint(host, InetAddress.getLoopbackAddress(), openssl.port()),
              "chrome-156",
              List.of("http/1.1"),
              ca.trustPolicy(),
              Duration.ofSeconds(10));
      try (TlsConnection c = BcConnector.builtIn().connect(socket, request)) {
        List<byte[]> calls = counting.writes.calls;
        assertEquals(1, calls.size(), "after the handshake only the ClientHello went out");
        assertEquals(22, calls.get(0)[0], "a handshake record");
        OutputStream out = c.output();
        out.write(
            ("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        assertEquals(2, calls.size(), "ChangeCipherSpec, Finished and the request in one write");
        byte[] flight = calls.get(1);
        assertArrayEquals(CCS, Arrays.copyOf(flight, CCS.length));
        int finishedLength = ((flight[9] & 0xff) << 8) | (flight[10] & 0xff);
        int requestAt = CCS.length + 5 + finishedLength;
        assertTrue(flight.length > requestAt, "a record after the Finished");
        assertEquals(23, flight[requestAt], "the request's record");
        c.setReadTimeout(Duration.ofSeconds(10));
        String page = new String(c.input().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertTrue(page.contains("New, TLSv1.3"), page);
      }
    }
  }
}
