package dev.guise.testkit;

import dev.guise.api.Header;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The small site of the reference session captures ({@code reference/sessions/README.md}, "The
 * site"), as a {@link RequestHandler}: {@code /start} answers 302 to {@code /landing} with the two
 * cookies, {@code /landing} is the page with a stylesheet, a script, an image and two fetches,
 * {@code /page2} and {@code /page3} are the next pages; every answer is {@code no-store}; anything
 * else is 404. The pages follow the README's description; nothing here runs them: a test sends the
 * requests the browser made.
 */
public final class SessionSite implements RequestHandler {
  @Override
  public TestResponse handle(TestRequest request) {
    return switch (request.method() + " " + request.path()) {
      case "GET /start" ->
          new TestResponse(
              302,
              List.of(
                  new Header("location", "/landing"),
                  new Header("set-cookie", "sid=abc123; Path=/; Secure; HttpOnly"),
                  new Header("set-cookie", "pref=dark; Path=/"),
                  new Header("cache-control", "no-store")),
              new byte[0],
              false);
      case "GET /landing" ->
          page(
              "<link rel=stylesheet href=/style.css><script src=/app.js></script>"
                  + "<img src=/img.png>");
      case "GET /style.css" -> body("text/css", "body{color:#333}");
      case "GET /app.js" -> body("text/javascript", "window.loaded=1;");
      case "GET /img.png" -> body("image/png", "PNG");
      case "GET /api/data" -> body("application/json", "{\"ok\":true}");
      case "POST /api/post" ->
          body("application/json", new String(request.body(), StandardCharsets.UTF_8));
      case "GET /page2" -> page("<p>page 2</p>");
      case "GET /page3" -> page("<p>page 3</p>");
      default -> TestResponse.text(404, "not found");
    };
  }

  private static TestResponse page(String content) {
    return body(
        "text/html; charset=utf-8", "<!doctype html><link rel=icon href=\"data:,\">" + content);
  }

  private static TestResponse body(String contentType, String text) {
    return TestResponse.bytes(200, contentType, text.getBytes(StandardCharsets.UTF_8))
        .withHeader("cache-control", "no-store");
  }
}
