package dev.guise.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FetchRequestTest {
  @Test
  void theHostKeyIsTheHostAndAPortOtherThan443() {
    assertEquals("www.example.com", FetchRequest.of("https://WWW.Example.com/a?b").hostKey());
    assertEquals("www.example.com", FetchRequest.of("https://www.example.com:443/").hostKey());
    assertEquals("site.test:8443", FetchRequest.of("https://site.test:8443/x").hostKey());
    assertEquals("127.0.1.1:9000", FetchRequest.of("https://127.0.1.1:9000/").hostKey());
  }

  @Test
  void aRequestWithoutAHostGetsTheEmptyKeyInsteadOfFailingTheJob() {
    assertEquals("", FetchRequest.of("not a url").hostKey());
    assertEquals("", FetchRequest.of("/relative").hostKey());
    assertEquals("", FetchRequest.of(null).hostKey());
  }

  @Test
  void theKeySelectorKeysByHost() throws Exception {
    HostKeySelector keys = new HostKeySelector();
    assertEquals(
        keys.getKey(FetchRequest.pinned("https://a.test/1", "127.0.1.1")),
        keys.getKey(FetchRequest.of("https://a.test/2")));
  }
}
