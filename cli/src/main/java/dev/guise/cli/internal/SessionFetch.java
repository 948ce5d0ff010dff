package dev.guise.cli.internal;

import dev.guise.cli.internal.FetchPlan.PlannedRequest;
import dev.guise.cli.internal.FetchPlan.Settings;
import dev.guise.fingerprint.RequestKind;
import dev.guise.pool.GuiseClient;
import dev.guise.session.CookieFiles;
import dev.guise.session.CookieJar;
import dev.guise.session.CookieJars;
import dev.guise.session.Session;
import dev.guise.session.SessionRequest;
import dev.guise.session.SessionRequest.Initiator;
import dev.guise.session.SessionStreamedResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * {@code guise fetch}'s requests as one browser session ({@code dev.guise.session}): the URLs of an
 * invocation share its cookie jar and current document, in order. The first document is a
 * navigation the user typed; a later document is a navigation from the current one (a link
 * followed); a sub-resource ({@code --dest style}, {@code fetch}, ...) has the last document
 * fetched as its initiator. Redirects are followed only with {@code --follow}, as in curl. {@code
 * -b} loads a cookie file before the first request; {@code -c} saves the jar when the session
 * closes, whatever happened.
 */
final class SessionFetch implements FetchSession {
  private final Session session;
  private final CookieJar jar;
  private final Settings settings;
  private boolean navigated;

  private SessionFetch(Session session, CookieJar jar, Settings settings) {
    this.session = session;
    this.jar = jar;
    this.settings = settings;
  }

  /**
   * The session for {@code plan} over {@code client}, its jar loaded from {@code -b}.
   *
   * @throws CliException a usage error when the cookie file cannot be read (the line named)
   */
  static SessionFetch open(FetchPlan plan, GuiseClient client) {
    Settings s = plan.settings();
    CookieJar jar = CookieJars.browser();
    if (s.cookieFile().isPresent()) {
      Path file = s.cookieFile().get();
      try {
        CookieFiles.load(jar, file, Clock.systemUTC());
      } catch (IOException e) {
        throw CliException.usage("-b " + file + ": " + e.getMessage());
      }
    }
    Session.Builder b = Session.builder(client).cookieJar(jar).followRedirects(s.follow());
    Optional<InetAddress> connectTo = s.connectTo();
    if (connectTo.isPresent()) {
      // --connect-to holds for every request of the invocation: pin each URL's host to it.
      for (PlannedRequest r : plan.requests()) {
        b.resolve(r.url().getHost(), connectTo.get());
      }
    }
    return new SessionFetch(b.build(), jar, s);
  }

  @Override
  public String identity() {
    return session.identity();
  }

  @Override
  public FetchResult send(PlannedRequest planned) throws IOException {
    RequestKind kind = RequestKind.of(planned.dest());
    SessionRequest.Builder b =
        SessionRequest.builder(kind, planned.url())
            .method(planned.method(), planned.bodyBytes().orElse(null))
            .timeout(settings.timeout());
    if (kind == RequestKind.DOCUMENT && !navigated) {
      b.initiator(Initiator.USER);
    }
    planned.headers().forEach(h -> b.header(h.name(), h.value()));
    SessionStreamedResponse r = session.sendStreaming(b.build());
    if (kind == RequestKind.DOCUMENT) {
      navigated = true;
    }
    return new FetchResult(r.response(), r.url(), r.redirects().size());
  }

  @Override
  public void close() throws IOException {
    if (settings.cookieJar().isPresent()) {
      CookieFiles.save(jar, settings.cookieJar().get());
    }
  }
}
