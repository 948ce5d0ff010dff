package dev.guise.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.guise.fingerprint.ClientHello;
import dev.guise.fingerprint.Ja3;
import dev.guise.fingerprint.Ja4;
import dev.guise.fingerprint.MalformedClientHelloException;

/**
 * The ClientHello parser the test server (and anyone checking a fingerprint) runs on a client's
 * first flight. A hello that parses must also fingerprint (JA3, JA4) without failing, and re-encode
 * to bytes that parse to the same message.
 */
class ClientHelloFuzzTest {
  @FuzzTest
  void parse(byte[] input) {
    ClientHello hello;
    try {
      hello = ClientHello.parse(input);
    } catch (MalformedClientHelloException expected) {
      return;
    }
    Ja3.of(hello);
    Ja4.of(hello);
    byte[] encoded = hello.toBytes();
    ClientHello again;
    try {
      again = ClientHello.parse(hello.toRecordBytes());
    } catch (MalformedClientHelloException e) {
      throw new AssertionError("a parsed hello re-encoded to bytes that do not parse", e);
    }
    assertArrayEquals(encoded, again.toBytes(), "re-encoding changed the hello");
  }
}
