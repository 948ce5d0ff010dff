package dev.guise.cli.internal;

import dev.guise.api.Header;
import dev.guise.fingerprint.RequestKind;
import dev.guise.pool.proxy.Proxy;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What one {@code guise fetch} invocation does: the settings that hold for the whole invocation and
 * the requests, in the order they are sent over one pool. Built by {@link FetchPlanParser};
 * immutable.
 */
record FetchPlan(FetchPlan.Settings settings, List<PlannedRequest> requests) {
  FetchPlan {
    requests = List.copyOf(requests);
  }

  /** {@code --resolve HOST:PORT:ADDR[,ADDR]...}: the addresses to use for a host and port. */
  record Resolve(String host, int port, List<InetAddress> addresses) {
    Resolve {
      addresses = List.copyOf(addresses);
    }
  }

  /**
   * The options that hold for the whole invocation.
   *
   * @param engine {@code --engine}, or the most faithful engine found
   * @param profile {@code --profile}, or chrome
   * @param ca {@code --ca}: extra trust anchors
   * @param resolves {@code --resolve}, in order
   * @param proxies {@code --proxy}, in order, each once: a round-robin rotation, never direct
   * @param connectTo {@code --connect-to}: the one IP every request goes to
   * @param timeout {@code --timeout}: the deadline of each request, retries included
   * @param follow {@code --follow}: follow redirects as the browser (a session's)
   * @param cookieFile {@code -b}: cookies to start with (a session's)
   * @param cookieJar {@code -c}: where to save the cookies at the end (a session's)
   * @param http1 {@code --http1}: offer only HTTP/1.1
   * @param includeHead {@code -i}: write the response head before the body
   * @param silent {@code -s}: no error lines on stderr
   * @param showError {@code -S}: error lines on stderr even with {@code -s}
   * @param writeOut {@code -w}: what to write to stdout after each transfer
   * @param fail {@code -f}: a status of 400 or more is a failure (exit 22, no body written)
   * @param failEarly {@code --fail-early}: stop at the first failed transfer
   * @param verbose {@code --verbose}
   */
  record Settings(
      Optional<String> engine,
      Optional<String> profile,
      Optional<Path> ca,
      List<Resolve> resolves,
      List<Proxy> proxies,
      Optional<InetAddress> connectTo,
      Duration timeout,
      boolean follow,
      Optional<Path> cookieFile,
      Optional<Path> cookieJar,
      boolean http1,
      boolean includeHead,
      boolean silent,
      boolean showError,
      Optional<WriteOut> writeOut,
      boolean fail,
      boolean failEarly,
      boolean verbose) {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    Settings {
      resolves = List.copyOf(resolves);
      proxies = List.copyOf(proxies);
    }

    /** Whether error lines go to stderr. */
    boolean showErrors() {
      return !silent || showError;
    }
  }

  /**
   * One request of the plan.
   *
   * @param url the https URL
   * @param method {@code -X}, else POST with a body and GET without
   * @param body {@code --data} / {@code --data-binary}, joined with {@code &} as curl does
   * @param headers {@code --header}, in the order given (plus curl's form content type for a body
   *     without one)
   * @param dest {@code --dest}: what the request is for, as a browser's {@code sec-fetch-dest}
   * @param output {@code -o}: the file the response goes to instead of stdout
   */
  record PlannedRequest(
      URI url,
      String method,
      Optional<byte[]> body,
      List<Header> headers,
      String dest,
      Optional<Path> output) {
    static final String DEFAULT_DEST = "document";

    /** The kinds {@code --dest} accepts. */
    static final List<String> DESTS =
        Arrays.stream(RequestKind.values()).map(RequestKind::key).toList();

    PlannedRequest {
      headers = List.copyOf(headers);
      body = body.map(byte[]::clone);
    }

    /** The body as a copy, for the one sending it. */
    Optional<byte[]> bodyBytes() {
      return body.map(byte[]::clone);
    }

    /** A one-line description, for tests and {@code --verbose}; never the header values. */
    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder(method).append(' ').append(url);
      if (!dest.equals(DEFAULT_DEST)) {
        sb.append(" dest=").append(dest);
      }
      for (Header h : headers) {
        sb.append(" header=").append(h.name().toLowerCase(Locale.ROOT));
      }
      body.ifPresent(b -> sb.append(" body=").append(b.length));
      output.ifPresent(o -> sb.append(" output=").append(o));
      return sb.toString();
    }
  }
}
