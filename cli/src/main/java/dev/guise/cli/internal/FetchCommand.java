package dev.guise.cli.internal;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.Header;
import dev.guise.api.HttpProtocol;
import dev.guise.api.NegotiatedTls;
import dev.guise.api.PoolAction;
import dev.guise.api.TlsEndpoint;
import dev.guise.api.TrustPolicy;
import dev.guise.cli.internal.FetchPlan.PlannedRequest;
import dev.guise.cli.internal.FetchPlan.Resolve;
import dev.guise.cli.internal.FetchPlan.Settings;
import dev.guise.cli.internal.FetchSession.FetchResult;
import dev.guise.pool.ConnectionLease;
import dev.guise.pool.GuiseClient;
import dev.guise.pool.HotConnectionPool;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.http.StreamedResponse;
import dev.guise.pool.proxy.ProxyChoice;
import dev.guise.pool.proxy.ProxyRouting;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code guise fetch URL...}: requests through the pool machinery (engine, profile, verification,
 * retries within one deadline) in curl's manner: several URLs share one pool, in order; {@code
 * --next} starts the options of the next URL; the body goes to stdout or {@code -o}; {@code -w}
 * reports; exit codes are curl's where curl has the same failure ({@link FetchExit}).
 */
final class FetchCommand implements Command {
  @Override
  public String name() {
    return "fetch";
  }

  @Override
  public String summary() {
    return "send requests through the pool, as curl would (several URLs share one pool)";
  }

  @Override
  public String help() {
    return """
    usage: guise fetch [options] URL [URL...] [--next [request options] URL...]...

    Sends each URL's request through Guise's pool, in order, over one pool (the engine presenting
    the profile's TLS and HTTP/2 fingerprint and header order, certificate and host name
    verification on, connection failures retried within one deadline) and writes the response
    body to stdout, as curl does. Every status is an answer: a 404 or a 503 is written like a 200
    (exit 0) unless --fail.

    Options before the first URL, or anywhere before the first --next, hold for the whole
    invocation (global options). Request options hold for every URL of their group: given
    before the first URL they apply to it; after --next, to the URLs that follow until the next
    --next. A global option after --next is an error.

    global options:
      --engine NAME          TLS engine (default: the most faithful found: bouncycastle,
                             conscrypt, jdk); 'guise profiles' lists them
      --profile NAME|FILE    fingerprint profile (default chrome), or a profile file written
                             by 'guise capture' (a path, or a name ending in .json)
      --ca FILE.pem          also trust the certificates in this PEM file (also --cacert)
      --resolve HOST:PORT:ADDR[,ADDR]...
                             send requests for HOST:PORT to these IPs instead of asking DNS;
                             repeatable; IPv6 in brackets ([::1])
      --connect-to IP        send every request to this IP; SNI, Host and certificate checks
                             still use the URL's host (no DNS lookup)
      --timeout SECONDS      deadline of each request, retries included (default 30; also
                             -m, --max-time)
      --http1                offer only HTTP/1.1 in ALPN (also --http1.1)
      --proxy URL            go out through this proxy, never directly: http://, https://,
                             socks5:// or socks5h://, with user:password@ if it asks; several
                             make a rotation (round robin; a retry goes through another); the
                             password is never printed
      -i, --include          write the response head (status line, headers) before the body
      -s, --silent           no error lines on stderr
      -S, --show-error       error lines on stderr even with -s
      -w, --write-out FORMAT after each transfer write FORMAT to stdout, with %%{variable}
                             replaced, %%%% a percent sign, \\n \\t \\r \\\\ as escapes
      -f, --fail             a status of 400 or more is a failure: nothing written, exit 22
      --fail-early           stop at the first failed transfer (by default the others are still
                             sent and the last one's result is the exit code, as curl)
      --compressed           accepted for curl scripts; changes nothing: Guise always sends the
                             profile's accept-encoding, as the browser does, and decodes the body
      --follow               follow redirects as the browser (also -L, --location)
      -b, --cookie FILE      start with the cookies of this file: curl's Netscape cookies.txt,
                             or Guise's JSON when the name ends in .json
      -c, --cookie-jar FILE  write the session's cookies to this file at the end (same formats)
      --verbose              the negotiated TLS and HTTP facts ('* ' lines) on stderr, and
                             stack traces for errors

    request options:
      -X, --request METHOD   the method (also --method; default GET, or POST with --data)
      -d, --data DATA        send DATA as the body (POST unless -X); @FILE reads the file and
                             drops its newlines; several are joined with '&'; a content-type of
                             application/x-www-form-urlencoded unless a --header gives one
      --data-binary DATA     as --data, but @FILE is sent byte for byte
      -H, --header 'N: v'    add or replace a request header (repeatable)
      -o, --output FILE      write this URL's response to FILE instead of stdout; several -o
                             go to the URLs of their group in order
      --dest KIND            what the request is for, as the browser's sec-fetch-dest
                             (default document): %s

    The URLs of one invocation are one browser session: they share its cookies (the jar starts
    empty, or with -b's file) and its current document, the last document fetched, which is the
    initiator (referer, sec-fetch-site) of the sub-resources and documents that follow.

    -w variables:
    %s
    exit codes (curl's where curl has the same failure; several URLs: the last one's):
    %s\
    """
        .formatted(String.join(", ", PlannedRequest.DESTS), variablesHelp(), FetchExit.help());
  }

  private static String variablesHelp() {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : WriteOut.VARIABLES.entrySet()) {
      sb.append(String.format("  %-16s %s%n", e.getKey(), e.getValue()));
    }
    return sb.toString();
  }

  @Override
  public ArgsSpec spec() {
    return ArgsSpec.ownGrammar(name());
  }

  @Override
  public int run(ParsedArgs args, Io io) throws Exception {
    FetchPlan plan = FetchPlanParser.parse(args.words());
    Settings s = plan.settings();
    TrustPolicy trust = TrustPolicy.systemDefaults();
    if (s.ca().isPresent()) {
      List<X509Certificate> anchors = Pem.readCertificates(s.ca().get(), args);
      trust = trust.withExtraAnchors(anchors);
    }
    Engines.Choice choice =
        Engines.choose(s.engine(), ProfileArgument.resolve(s.profile(), args), "chrome", args);
    Duration timeout = s.timeout();
    PoolConfig.Builder config =
        PoolConfig.builder()
            .engine(choice.name())
            .profile(choice.offer().profile())
            .trust(trust)
            .classifier(new AnswerEveryStatus())
            .timeouts(
                t ->
                    t.withConnect(min(timeout, Duration.ofSeconds(30)))
                        .withRequest(timeout)
                        .withAcquire(timeout))
            // A few requests to one host: banning its IP after repeated refusals would only hide
            // the cause.
            .healthChecks(h -> h.withStrikesToBan(1000));
    if (s.http1()) {
      config.alpn(List.of(HttpProtocol.HTTP_1_1.alpn()));
    }
    if (!s.proxies().isEmpty()) {
      config.proxies(ProxyRouting.of(s.proxies()).withChoice(ProxyChoice.roundRobin()));
    }
    try (HotConnectionPool pool = HotConnectionPool.create(config.build());
        GuiseClient client = new GuiseClient(pool);
        FetchSession session = SessionFetch.open(plan, client)) {
      for (Resolve r : s.resolves()) {
        pool.addIps(r.host(), r.port(), r.addresses());
      }
      int exit = FetchExit.OK;
      for (PlannedRequest request : plan.requests()) {
        exit = transfer(request, plan, session, pool, choice, io);
        if (exit != FetchExit.OK && s.failEarly()) {
          break;
        }
      }
      return exit;
    }
  }

  /** Sends one request, writes what it brought and returns its exit code. */
  private static int transfer(
      PlannedRequest request,
      FetchPlan plan,
      FetchSession session,
      HotConnectionPool pool,
      Engines.Choice choice,
      Io io) {
    Settings s = plan.settings();
    InetAddress connectTo = s.connectTo().orElse(null);
    if (s.verbose()) {
      io.err().println("* " + request);
      describeConnection(pool, request, connectTo, session.identity(), choice, io);
    }
    long started = System.nanoTime();
    FetchResult result = null;
    String error = "";
    int exit;
    long[] downloaded = {0};
    try {
      result = session.send(request);
      if (s.verbose()) {
        StreamedResponse r = result.response();
        io.err()
            .printf(
                Locale.ROOT,
                "* answered %d by %s over %s, %s connection; %.1f ms%n",
                r.status(),
                r.endpoint().ip().getHostAddress(),
                r.protocol().alpn(),
                r.reusedConnection() ? "a reused" : "a new",
                (System.nanoTime() - started) / 1e6);
      }
      try (FetchResult answer = result) {
        exit = write(request, answer, s, io, downloaded);
      }
      if (exit == FetchExit.HTTP_ERROR) {
        error = "the server answered " + result.response().status() + " (--fail)";
      } else if (exit == FetchExit.WRITE_ERROR) {
        error = "cannot write " + request.output().orElseThrow();
      }
    } catch (ClassifiedIOException e) {
      exit = FetchExit.of(e.kind());
      error = Cli.oneLine(e.getMessage());
      if (s.verbose()) {
        e.printStackTrace(io.err());
      }
    } catch (IOException e) {
      // The body's own failures are classified (above): what is left is writing it out.
      exit = FetchExit.WRITE_ERROR;
      error = "cannot write " + request.output().orElseThrow() + ": " + Cli.oneLine(e.getMessage());
    }
    long took = System.nanoTime() - started;
    if (exit != FetchExit.OK && s.showErrors()) {
      io.err()
          .println(
              "error: " + error + (plan.requests().size() > 1 ? " (" + request.url() + ")" : ""));
    }
    if (s.writeOut().isPresent()) {
      Transfer t =
          new Transfer(request, result, downloaded[0], exit, error, took, connectTo, choice);
      io.out().print(s.writeOut().get().render(t::variable));
      io.out().flush();
    }
    return exit;
  }

  /**
   * Writes the response (head with -i, then the body as it arrives) to stdout or -o's file,
   * counting the body's bytes into {@code downloaded[0]}; returns the exit code. With {@code
   * --fail} a status of 400 or more leaves the body unread (closing the result cancels the stream).
   */
  private static int write(
      PlannedRequest request, FetchResult result, Settings s, Io io, long[] downloaded)
      throws IOException {
    StreamedResponse response = result.response();
    if (s.fail() && response.status() >= 400) {
      return FetchExit.HTTP_ERROR;
    }
    if (request.output().isPresent()) {
      try (OutputStream file = Files.newOutputStream(request.output().get())) {
        writeResponse(response, s.includeHead(), file, downloaded);
      }
    } else {
      writeResponse(response, s.includeHead(), io.out(), downloaded);
      io.out().flush();
    }
    return FetchExit.OK;
  }

  private static void writeResponse(
      StreamedResponse response, boolean head, OutputStream out, long[] downloaded)
      throws IOException {
    if (head) {
      StringBuilder sb = new StringBuilder();
      sb.append(response.protocol() == HttpProtocol.HTTP_2 ? "HTTP/2 " : "HTTP/1.1 ")
          .append(response.status())
          .append('\n');
      for (Header h : response.headers()) {
        sb.append(h.name()).append(": ").append(h.value()).append('\n');
      }
      sb.append('\n');
      out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
    // Each piece goes out as it arrives (a pipe reader sees the body progress, as with curl), so
    // memory stays at one buffer whatever the body's size. A read that fails is the body's
    // (classified); a write that fails is the output's.
    InputStream body = response.body();
    byte[] buffer = new byte[64 * 1024];
    int n;
    while ((n = readBody(body, buffer)) > 0) {
      out.write(buffer, 0, n);
      out.flush();
      downloaded[0] += n;
    }
  }

  /** Reads the next piece of the body; its failures are always classified. */
  private static int readBody(InputStream body, byte[] buffer) throws ClassifiedIOException {
    try {
      return body.read(buffer);
    } catch (ClassifiedIOException e) {
      throw e;
    } catch (IOException e) {
      throw new ClassifiedIOException(
          FailureKind.PROTOCOL_ERROR,
          false,
          PoolAction.DISCARD_CONNECTION,
          "the response body broke off: " + Cli.oneLine(e.getMessage()),
          e);
    }
  }

  /** One transfer's facts, for {@code -w}. */
  private record Transfer(
      PlannedRequest request,
      FetchResult result,
      long downloaded,
      int exit,
      String error,
      long tookNanos,
      InetAddress connectTo,
      Engines.Choice choice) {
    String variable(String name) {
      StreamedResponse r = result == null ? null : result.response();
      return switch (name) {
        case "http_code", "response_code" ->
            r == null ? "000" : String.format(Locale.ROOT, "%03d", r.status());
        case "http_version" -> r == null ? "0" : r.protocol() == HttpProtocol.HTTP_2 ? "2" : "1.1";
        case "time_total" -> String.format(Locale.ROOT, "%.6f", tookNanos / 1e9);
        case "remote_ip" ->
            r != null
                ? r.endpoint().ip().getHostAddress()
                : connectTo == null ? "" : connectTo.getHostAddress();
        case "remote_port" -> r == null ? "0" : Integer.toString(r.endpoint().port());
        case "url" -> request.url().toString();
        case "url_effective" ->
            result == null ? request.url().toString() : result.effectiveUrl().toString();
        case "num_redirects" -> result == null ? "0" : Integer.toString(result.redirects());
        case "size_download" -> Long.toString(downloaded);
        case "content_type" -> r == null ? "" : r.header("content-type").orElse("");
        case "exitcode" -> Integer.toString(exit);
        case "errormsg" -> error;
        case "ja4" -> choice.offer().ja4().orElse("");
        case "profile" -> r == null ? choice.offer().profile() : r.profile();
        case "engine" -> choice.name();
        default -> throw new IllegalStateException("WriteOut let through " + name);
      };
    }
  }

  /**
   * Opens (or reuses) the connection the request will take (its session's: {@code identity}) and
   * prints what its handshake agreed on. The lease goes back to the pool idle, so the request then
   * reuses that very connection; when opening fails, the request itself reports the failure.
   */
  private static void describeConnection(
      HotConnectionPool pool,
      PlannedRequest request,
      InetAddress ip,
      String identity,
      Engines.Choice choice,
      Io io) {
    try (ConnectionLease lease = pool.connectionAs(identity, request.url(), ip)) {
      NegotiatedTls tls = lease.tls();
      TlsEndpoint endpoint = lease.endpoint();
      io.err()
          .println(
              "* engine "
                  + choice.name()
                  + ", profile "
                  + tls.profile()
                  + " ("
                  + tls.fidelity()
                  + ")");
      io.err()
          .println(
              "* connected to "
                  + endpoint.ip().getHostAddress()
                  + " port "
                  + endpoint.port()
                  + " for "
                  + endpoint.host()
                  + " (SNI, Host and certificate checks use "
                  + endpoint.host()
                  + ")");
      io.err()
          .println(
              "* "
                  + tls.protocol()
                  + ", "
                  + tls.cipherSuite()
                  + tls.namedGroup().map(g -> ", group " + g).orElse("")
                  + ", ALPN "
                  + tls.alpn().orElse("(none)")
                  + " -> "
                  + lease.protocol().alpn());
      if (!tls.peerCertificates().isEmpty()) {
        X509Certificate leaf = tls.peerCertificates().get(0);
        io.err()
            .println(
                "* server certificate: "
                    + leaf.getSubjectX500Principal().getName()
                    + ", issued by "
                    + leaf.getIssuerX500Principal().getName()
                    + ", valid until "
                    + leaf.getNotAfter().toInstant());
      }
    } catch (IOException e) {
      io.err().println("* could not open a connection ahead of the request: " + e.getMessage());
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
