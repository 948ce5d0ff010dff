package dev.guise.codec.hpack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the encoder's name memo keeps, and how much. */
class NameMemoTest {
  /**
   * Chrome 156's request names (the profile's navigation list after the pseudo-headers, and the
   * names the session and a body add): a hot connection sends them again and again.
   */
  private static final List<String> CHROME_NAMES =
      List.of(
          ":method",
          ":authority",
          ":scheme",
          ":path",
          "sec-ch-ua",
          "sec-ch-ua-mobile",
          "sec-ch-ua-platform",
          "upgrade-insecure-requests",
          "user-agent",
          "accept",
          "sec-fetch-site",
          "sec-fetch-mode",
          "sec-fetch-user",
          "sec-fetch-dest",
          "accept-encoding",
          "accept-language",
          "priority",
          "cookie",
          "referer",
          "origin",
          "content-type",
          "content-length");

  /**
   * Every name of Chrome's list keeps its slot and its dynamic entry from one request to the next.
   * A memo with one slot per hash lost three pairs of them (user-agent and sec-fetch-dest share a
   * hash slot) and sent those fields down the long way on every request.
   */
  @Test
  void chromesWholeListStaysRemembered() {
    NameMemo memo = new NameMemo(false);
    List<Integer> slots = new ArrayList<>();
    for (int i = 0; i < CHROME_NAMES.size(); i++) {
      int slot = memo.slotFor(CHROME_NAMES.get(i));
      memo.rememberEntry(slot, "v" + i, 100 + i);
      slots.add(slot);
    }
    assertEquals(CHROME_NAMES.size(), new HashSet<>(slots).size(), "one slot per name");
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < CHROME_NAMES.size(); i++) {
        String name = CHROME_NAMES.get(i);
        int slot = memo.slotFor(name);
        assertEquals(slots.get(i), slot, name);
        assertEquals(name, memo.name(slot));
        assertEquals(100 + i, memo.entry(slot, "v" + i), name);
        assertEquals(-1, memo.entry(slot, "other"), name);
      }
    }
  }

  @Test
  void aNameIsKeptLoweredWithItsStaticIndex() {
    NameMemo memo = new NameMemo(false);
    int slot = memo.slotFor("User-Agent");
    assertEquals("user-agent", memo.name(slot));
    assertEquals(StaticTable.nameIndex("user-agent"), memo.staticIndex(slot));
    assertEquals(slot, memo.slotFor("user-agent"));
    assertEquals(slot, memo.slotFor("USER-AGENT"));
    assertEquals(0, memo.staticIndex(memo.slotFor("sec-ch-ua")));
  }

  /**
   * Past {@link NameMemo#MAX_NAMES} names the memo starts afresh: memory stays fixed, every lookup
   * still ends (a probe always meets an empty slot), and a name seen again is simply learned again.
   */
  @Test
  void manyNamesEmptyTheMemoAndLookupsStillEnd() {
    NameMemo memo = new NameMemo(false);
    Set<Integer> firstSlots = new HashSet<>();
    for (int i = 0; i < NameMemo.MAX_NAMES; i++) {
      int slot = memo.slotFor("x-name-" + i);
      memo.rememberEntry(slot, "v", i);
      firstSlots.add(slot);
    }
    assertEquals(NameMemo.MAX_NAMES, firstSlots.size());
    assertEquals(0, memo.entry(memo.slotFor("x-name-0"), "v"), "still kept while not full");

    int slot = memo.slotFor("x-one-too-many");
    assertEquals("x-one-too-many", memo.name(slot));
    for (int i = 0; i < NameMemo.MAX_NAMES; i++) {
      // Forgotten: each comes back with no entry, and the memo fills up and empties again.
      int again = memo.slotFor("x-name-" + i);
      assertEquals("x-name-" + i, memo.name(again));
      assertEquals(-1, memo.entry(again, "v"));
    }
    for (int i = 0; i < 1_000; i++) {
      assertEquals("y" + i, memo.name(memo.slotFor("y" + i)));
    }
  }

  @Test
  void aForgetfulMemoNeverRemembersAnEntry() {
    NameMemo memo = new NameMemo(true);
    int slot = memo.slotFor("accept");
    memo.rememberEntry(slot, "text/html", 7);
    int again = memo.slotFor("accept");
    assertEquals("accept", memo.name(again));
    assertEquals(-1, memo.entry(again, "text/html"));
    assertNotEquals(0, memo.staticIndex(again));
  }
}
