package dev.guise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.fingerprint.ClientHello;
import dev.guise.fingerprint.TlsExtension;
import dev.guise.testing.ReferenceCaptures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code guise profiles --profile FILE} for a profile the BouncyCastle engine cannot send: the
 * profile is not among the engine's offers, and the listing says why, naming the extension.
 */
class ProfileRefusalTest {
  private static final Pattern HELLO_HEX =
      Pattern.compile("(\"client_hello\"\\s*:\\s*\\{\\s*\"hex\"\\s*:\\s*\")([0-9a-f]+)\"");

  @TempDir Path dir;

  @Test
  void aProfileTheEngineCannotSendIsListedWithTheReason() throws Exception {
    String text =
        ReferenceCaptures.text("guise-capture/chrome-156-captured.json")
            .replace("\"name\" : \"chrome-156-captured\"", "\"name\" : \"odd-cli\"");
    assertTrue(text.contains("\"odd-cli\""), "renamed");
    Matcher m = HELLO_HEX.matcher(text);
    assertTrue(m.find(), "the file's client_hello hex");
    // An extension type no browser sends and the engine cannot produce.
    ClientHello hello = ClientHello.parseHex(m.group(2));
    List<TlsExtension> extensions = new ArrayList<>(hello.extensions());
    extensions.add(1, new TlsExtension(0x7777, new byte[0]));
    Path file = dir.resolve("odd-cli.json");
    Files.writeString(
        file,
        text.substring(0, m.start(2))
            + HexFormat.of().formatHex(hello.withExtensions(extensions).toRecordBytes())
            + text.substring(m.end(2)));

    Run r = Run.of("profiles", "--profile", file.toString());
    assertEquals(0, r.code(), r.toString());
    assertFalse(
        r.out().lines().anyMatch(l -> l.startsWith("bouncycastle ") && l.contains(" odd-cli ")),
        "not offered: " + r);
    assertTrue(
        r.out()
            .lines()
            .anyMatch(
                l ->
                    l.startsWith("bouncycastle: cannot send profile odd-cli: ")
                        && l.contains("0x7777")),
        "the reason is listed: " + r);
  }
}
