package dev.guise.testkit;

import dev.guise.api.Header;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The page {@code guise capture} serves, as a {@link RequestHandler}: opened in a browser, it makes
 * the browser send every kind of request a session needs, over several connections, and come back
 * with a session ticket. The browser runs the whole flow by itself:
 *
 * <ol>
 *   <li>{@code GET /}: the document (sets two cookies, so later requests show where the browser
 *       puts them); it links a stylesheet whose {@code @font-face} loads {@code /c/font.woff2}, a
 *       script, an image, and one image from each {@linkplain #CaptureSite(List, int, String) other
 *       origin} (other ports: a browser never shares a connection across ports, so each is a new
 *       connection with a fresh ClientHello; one of them may speak HTTP/1.1 only);
 *   <li>on {@code load}: {@code fetch} GET {@code /c/data}, {@code fetch} POST {@code /c/post}
 *       (JSON), an {@code XMLHttpRequest} GET {@code /c/xhr}; then the same three again ({@code
 *       /c/data-h}, {@code /c/post-h}, {@code /c/xhr-h}) with the {@linkplain #AUTHOR_HEADERS
 *       headers a script sets}, to show where the browser puts them;
 *   <li>an image from the resume origin, whose server closes idle connections: a pause, then a
 *       second image from it, which needs a new connection: the browser resumes with its ticket;
 *   <li>a form POST navigation to {@code /c/form}, answered {@code 303} to {@code /c/done}: a
 *       redirect hop. {@code /c/done} ends the flow ({@link #awaitDone(Duration)}).
 * </ol>
 *
 * The other origins answer with {@link #otherOrigin()}. Every answer is {@code no-store}.
 *
 * <p>Thread-safe.
 */
public final class CaptureSite implements RequestHandler {
  /** The paths of the flow, by what the browser fetches them as. */
  public static final String DOCUMENT = "/";

  public static final String STYLE = "/c/style.css";
  public static final String FONT = "/c/font.woff2";
  public static final String SCRIPT = "/c/app.js";
  public static final String IMAGE = "/c/img.png";
  public static final String FETCH_GET = "/c/data";
  public static final String FETCH_POST = "/c/post";
  public static final String XHR = "/c/xhr";
  public static final String FETCH_GET_AUTHOR = "/c/data-h";
  public static final String FETCH_POST_AUTHOR = "/c/post-h";
  public static final String XHR_AUTHOR = "/c/xhr-h";
  public static final String RESUME_FIRST = "/c/r1.png";
  public static final String RESUME_SECOND = "/c/r2.png";
  public static final String FORM = "/c/form";
  public static final String DONE = "/c/done";

  /**
   * The headers the page's script sets on {@link #FETCH_GET_AUTHOR}, {@link #FETCH_POST_AUTHOR} and
   * {@link #XHR_AUTHOR}, in the order it sets them: names in mixed case whose sorted order differs
   * from this one, and {@code authorization}, the kinds a crawler sends to a site's API. Where the
   * browser puts them, among its own headers and among each other, is what those requests show.
   */
  public static final List<Header> AUTHOR_HEADERS =
      List.of(
          new Header("X-Zeta-Trace", "z1"),
          new Header("authorization", "Bearer guise-capture"),
          new Header("X-Alpha", "a1"),
          new Header("x-csrf-token", "c1"),
          new Header("X-Requested-With", "XMLHttpRequest"));

  /**
   * Where the script's {@code Content-Type} goes among {@link #AUTHOR_HEADERS} on {@link
   * #FETCH_POST_AUTHOR}: in the middle, so the capture shows whether the browser keeps it with them
   * or moves it to its own place for it.
   */
  public static final int AUTHOR_CONTENT_TYPE_AT = 2;

  /** How long the page waits before the resumed request; the resume origin closes sooner. */
  public static final Duration RESUME_PAUSE = Duration.ofMillis(1500);

  // A 1x1 transparent PNG (a valid image: a broken one may be fetched again by some browsers).
  private static final byte[] PNG =
      HexFormat.of()
          .parseHex(
              "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                  + "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082");

  private final List<Integer> otherPorts;
  private final int resumePort;
  private final String host;
  private final CountDownLatch done = new CountDownLatch(1);

  /**
   * @param otherPorts the ports of the other origins (same host name), one image each
   * @param resumePort the port of the resume origin, whose server closes idle connections within
   *     {@link #RESUME_PAUSE}
   * @param host the host name the browser opens (the other origins' URLs use it)
   */
  public CaptureSite(List<Integer> otherPorts, int resumePort, String host) {
    this.otherPorts = List.copyOf(otherPorts);
    this.resumePort = resumePort;
    this.host = Objects.requireNonNull(host, "host");
  }

  /** Waits until the browser reached the end of the flow; false on timeout. */
  public boolean awaitDone(Duration timeout) throws InterruptedException {
    return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Whether the flow has ended. */
  public boolean isDone() {
    return done.getCount() == 0;
  }

  @Override
  public TestResponse handle(TestRequest request) {
    return switch (request.method() + " " + request.path()) {
      case "GET " + DOCUMENT ->
          page(document())
              .withHeader("set-cookie", "guise_a=1; Path=/; Secure; HttpOnly")
              .withHeader("set-cookie", "guise_b=2; Path=/; Secure");
      case "GET " + STYLE ->
          body(
              "text/css",
              "@font-face{font-family:guise;src:url("
                  + FONT
                  + ") format(\"woff2\")}"
                  + "body{font-family:guise,sans-serif}");
      case "GET " + FONT -> bytes("font/woff2", new byte[] {'w', 'O', 'F', '2'});
      case "GET " + SCRIPT -> body("text/javascript", script());
      case "GET " + IMAGE -> bytes("image/png", PNG);
      case "GET " + FETCH_GET -> body("application/json", "{\"ok\":true}");
      case "POST " + FETCH_POST -> body("application/json", "{\"ok\":true}");
      case "GET " + XHR -> body("application/json", "{\"ok\":true}");
      case "GET " + FETCH_GET_AUTHOR, "POST " + FETCH_POST_AUTHOR, "GET " + XHR_AUTHOR ->
          body("application/json", "{\"ok\":true}");
      case "POST " + FORM ->
          new TestResponse(
              303,
              List.of(new Header("location", DONE), new Header("cache-control", "no-store")),
              new byte[0],
              false);
      case "GET " + DONE -> {
        done.countDown();
        yield page("<p id=done>Captured. You can close this tab.</p>");
      }
      default -> TestResponse.text(404, "not found");
    };
  }

  /** What the other origins and the resume origin answer: the images of the flow. */
  public static RequestHandler otherOrigin() {
    return request ->
        switch (request.path()) {
          case IMAGE, RESUME_FIRST, RESUME_SECOND -> bytes("image/png", PNG);
          default -> TestResponse.text(404, "not found");
        };
  }

  private String document() {
    StringBuilder sb = new StringBuilder();
    sb.append("<title>guise capture</title>")
        .append("<link rel=stylesheet href=")
        .append(STYLE)
        .append("><script src=")
        .append(SCRIPT)
        .append("></script><p>Guise is learning how this browser talks. Keep this tab open until")
        .append(" it says it is done.</p><img src=")
        .append(IMAGE)
        .append(">");
    for (int port : otherPorts) {
      sb.append("<img src=").append(origin(port)).append(IMAGE).append(">");
    }
    sb.append("<form id=f method=post action=")
        .append(FORM)
        .append("><input type=hidden name=a value=1></form>");
    return sb.toString();
  }

  private String script() {
    String resume = origin(resumePort);
    return "function img(u){return new Promise(function(r){var i=new Image();"
        + "i.onload=i.onerror=r;i.src=u;});}\n"
        + "function xhr(u,h){return new Promise(function(r){var x=new XMLHttpRequest();"
        + "x.onloadend=r;x.open('GET',u);(h||[]).forEach(function(p){"
        + "x.setRequestHeader(p[0],p[1]);});x.send();});}\n"
        + "var authorHeaders="
        + jsPairs(AUTHOR_HEADERS)
        + ";\n"
        + "var authorPost=authorHeaders.slice(0,"
        + AUTHOR_CONTENT_TYPE_AT
        + ").concat([['Content-Type','application/json']],authorHeaders.slice("
        + AUTHOR_CONTENT_TYPE_AT
        + "));\n"
        + "function pause(ms){return new Promise(function(r){setTimeout(r,ms);});}\n"
        + "window.addEventListener('load',async function(){\n"
        + "  try{await document.fonts.ready;}catch(e){}\n"
        + "  await fetch('"
        + FETCH_GET
        + "');\n"
        + "  await fetch('"
        + FETCH_POST
        + "',{method:'POST',headers:{'content-type':'application/json'},body:'{\"a\":1}'});\n"
        + "  await xhr('"
        + XHR
        + "');\n"
        // A header list as an array of pairs: the order the script set them in, kept by fetch().
        + "  await fetch('"
        + FETCH_GET_AUTHOR
        + "',{headers:authorHeaders});\n"
        + "  await fetch('"
        + FETCH_POST_AUTHOR
        + "',{method:'POST',headers:authorPost,body:'{\"a\":1}'});\n"
        + "  await xhr('"
        + XHR_AUTHOR
        + "',authorHeaders);\n"
        + "  await img('"
        + resume
        + RESUME_FIRST
        + "');\n"
        + "  await pause("
        + RESUME_PAUSE.toMillis()
        + ");\n"
        + "  await img('"
        + resume
        + RESUME_SECOND
        + "');\n"
        + "  document.getElementById('f').submit();\n"
        + "});\n";
  }

  private static String jsPairs(List<Header> headers) {
    StringBuilder sb = new StringBuilder("[");
    for (Header h : headers) {
      sb.append(sb.length() > 1 ? "," : "")
          .append("['")
          .append(h.name())
          .append("','")
          .append(h.value())
          .append("']");
    }
    return sb.append(']').toString();
  }

  private String origin(int port) {
    return "https://" + host + ":" + port;
  }

  private static TestResponse page(String content) {
    return body(
        "text/html; charset=utf-8",
        "<!doctype html><meta charset=utf-8><link rel=icon href=\"data:,\">" + content);
  }

  private static TestResponse body(String contentType, String text) {
    return bytes(contentType, text.getBytes(StandardCharsets.UTF_8));
  }

  private static TestResponse bytes(String contentType, byte[] body) {
    return TestResponse.bytes(200, contentType, body).withHeader("cache-control", "no-store");
  }
}
