package dev.guise.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReferenceCapturesTest {
  @Test
  void everyFolderOfTheUpstreamIsHereAndReadable() {
    List<String> hellos = ReferenceCaptures.list("browsers", ".bin");
    assertEquals(9, hellos.size(), hellos.toString());
    assertEquals("browsers/chromium1-conn03.bin", hellos.get(0));
    for (String hello : hellos) {
      byte[] bytes = ReferenceCaptures.bytes(hello);
      assertEquals(0x16, bytes[0], hello + " starts with a handshake record");
      String json = ReferenceCaptures.text(hello.replace(".bin", ".json"));
      assertTrue(json.startsWith("{"), hello);
    }
    assertEquals(
        List.of("sessions/chromium1/requests.json"),
        ReferenceCaptures.list("sessions/chromium1", "requests.json"));
    assertEquals(4, ReferenceCaptures.list("browsers-http1", ".clienthello.bin").size());
    assertTrue(ReferenceCaptures.text("proxy/connect-heads.json").contains("CONNECT"));
    assertTrue(ReferenceCaptures.text("README.md").startsWith("# Reference captures"));
  }

  @Test
  void aMissingCaptureOrAnEmptyListingIsAnError() {
    assertThrows(
        IllegalArgumentException.class, () -> ReferenceCaptures.bytes("browsers/none.bin"));
    assertThrows(IllegalArgumentException.class, () -> ReferenceCaptures.list("browsers", ".pcap"));
    assertEquals(
        "chromium1-conn03", ReferenceCaptures.stem("browsers/chromium1-conn03.bin", ".bin"));
  }

  @Test
  void hexIgnoresWhitespace() {
    assertArrayEquals(new byte[] {0x16, 0x03, 0x01}, Hex.hex("16 03\n01"));
    assertEquals("160301", Hex.hex(new byte[] {0x16, 0x03, 0x01}));
  }
}
