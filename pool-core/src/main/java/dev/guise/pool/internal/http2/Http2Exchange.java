package dev.guise.pool.internal.http2;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.Header;
import dev.guise.api.HttpProtocol;
import dev.guise.api.PoolAction;
import dev.guise.codec.http2.Http2ErrorCode;
import dev.guise.codec.http2.Http2Frame;
import dev.guise.codec.http2.Http2FrameWriter;
import dev.guise.codec.io.DeadlineWait;
import dev.guise.fingerprint.Http2Behaviour;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.http.HttpResponse;
import dev.guise.pool.internal.exchange.HttpConnection.BodyListener;
import dev.guise.pool.internal.exchange.HttpConnection.ExchangeLimits;
import dev.guise.pool.internal.exchange.HttpConnection.StreamedBody;
import dev.guise.pool.internal.exchange.HttpFailures;
import dev.guise.pool.internal.exchange.RequestTemplate;
import dev.guise.pool.internal.exchange.ResponseBodies;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One request and its response on the caller's thread: a stream slot, HEADERS (shared with other
 * requests' when they are in flight), the body within the send windows, the wait for the response,
 * and the stream's removal whatever happened. The waits and locks it uses are the session's ({@code
 * docs/concurrency.md}, "The HTTP/2 session").
 */
final class Http2Exchange {
  private final Http2Connection session;
  private final RequestTemplate template;
  private final Http2Behaviour wire;
  private final Optional<Http2Frame.PriorityFields> headersPriority;

  /** A stream slot is held: given back at the end if the stream never opened. */
  private boolean reserved;

  Http2Exchange(
      Http2Connection session,
      RequestTemplate template,
      Optional<Http2Frame.PriorityFields> headersPriority) {
    this.session = session;
    this.template = template;
    this.wire = template.http2();
    this.headersPriority = headersPriority;
  }

  HttpResponse run(HttpRequest request, ExchangeLimits limits, long deadlineNanos, boolean reused)
      throws IOException {
    boolean head = request.method().equals("HEAD");
    Http2Stream stream = new Http2Stream(limits, head, session.lock.newCondition());
    try {
      send(request, stream, deadlineNanos);
      awaitResponse(stream, deadlineNanos);
      byte[] decoded =
          head ? new byte[0] : Http2Messages.decodeBody(stream, limits, session.endpoint);
      return new HttpResponse(
          stream.status,
          stream.headers,
          decoded,
          stream.trailers,
          HttpProtocol.HTTP_2,
          session.endpoint,
          session.tls.negotiated().profile(),
          reused);
    } finally {
      end(stream);
    }
  }

  /**
   * Sends the request and waits for the response head only; the returned body stream owns the
   * stream from there (it ends it when read to its end, closed or failed).
   */
  StreamedBody runStreaming(
      HttpRequest request,
      ExchangeLimits limits,
      long deadlineNanos,
      Duration readTimeout,
      BodyListener ended)
      throws IOException {
    boolean head = request.method().equals("HEAD");
    Http2Stream stream = new Http2Stream(limits, head, session.lock.newCondition(), true);
    boolean handedOver = false;
    try {
      send(request, stream, deadlineNanos);
      awaitHead(stream, deadlineNanos);
      Http2BodyStream raw = new Http2BodyStream(session, stream, readTimeout, ended);
      // No body (HEAD, 204, 304) has nothing to decode, whatever its Content-Encoding says.
      InputStream body =
          head || endedEmpty(stream)
              ? InputStream.nullInputStream()
              : ResponseBodies.stream(
                  ResponseBodies.contentEncoding(stream.headers), raw, limits.maxBodyBytes());
      handedOver = true;
      return new StreamedBody(
          stream.status, stream.headers, new Http2BodyStream.Decoded(body, raw), raw::trailers);
    } finally {
      if (!handedOver) {
        end(stream);
      }
    }
  }

  /** Whether the response is complete without a body byte. */
  private boolean endedEmpty(Http2Stream stream) {
    session.lock.lock();
    try {
      return stream.responded && stream.received == 0;
    } finally {
      session.lock.unlock();
    }
  }

  /** Removes the stream (or gives back its slot if it never opened). */
  private void end(Http2Stream stream) {
    if (stream.id == 0) {
      if (reserved) {
        session.releaseReservation();
      }
    } else {
      session.endStream(stream);
    }
  }

  /** Takes a stream slot, opens the stream and sends HEADERS and the request body. */
  private void send(HttpRequest request, Http2Stream stream, long deadlineNanos)
      throws IOException {
    byte[] body = request.body().orElse(null);
    boolean hasBody = body != null && body.length > 0;
    List<Header> headerList;
    try {
      headerList = Http2Messages.requestHeaders(template, request, body);
    } catch (IllegalArgumentException e) {
      throw new ClassifiedIOException(
          FailureKind.INVALID_REQUEST, false, PoolAction.KEEP, e.getMessage(), e);
    }
    Optional<Http2Frame.PriorityFields> priority =
        request.kind().isEmpty()
            ? headersPriority
            : template
                .headersPriority(request.kind(), request.redirectHop())
                .map(p -> new Http2Frame.PriorityFields(p.exclusive(), p.dependsOn(), p.weight()));
    session.reserveSlot(deadlineNanos);
    reserved = true;
    startStream(stream, headerList, priority, hasBody, deadlineNanos);
    if (hasBody) {
      sendBody(stream, body, deadlineNanos);
    }
  }

  /**
   * Opens the stream and writes its HEADERS (and a browser's stream WINDOW_UPDATE). The id is taken
   * under the write lock, so ids reach the wire in increasing order.
   */
  private void startStream(
      Http2Stream stream,
      List<Header> headerList,
      Optional<Http2Frame.PriorityFields> priority,
      boolean hasBody,
      long deadlineNanos)
      throws IOException {
    session.writer.acquire(deadlineNanos);
    try {
      int inFlight = session.openStream(stream, !hasBody, UrgencyChain.urgency(headerList));
      // Before the write: the reader's next wait, however soon it begins, is for this response.
      session.tls.replyDue();
      Http2FrameWriter frames = session.writer.frames();
      byte[] block = session.writer.encoder().encode(headerList);
      // dependsOn was chosen under the state lock; the stream itself is not yet on the wire.
      int dependsOn = stream.dependsOn;
      frames.writeHeaders(
          stream.id,
          block,
          !hasBody,
          priority.map(p -> new Http2Frame.PriorityFields(p.exclusive(), dependsOn, p.weight())));
      if (wire.streamWindowUpdate().isPresent()) {
        frames.writeWindowUpdate(stream.id, (int) wire.streamWindowUpdate().getAsLong());
      }
      // A request without a body that finds others in flight shares their next write.
      if (hasBody || !session.writer.keepForSharedWrite(inFlight)) {
        session.writer.write(deadlineNanos);
      }
    } catch (IOException e) {
      throw session.writeFailed(e);
    } finally {
      session.writer.release();
    }
  }

  private void sendBody(Http2Stream stream, byte[] body, long deadlineNanos) throws IOException {
    int off = 0;
    while (off < body.length) {
      int n;
      boolean last;
      session.lock.lock();
      try (DeadlineWait wait =
          new DeadlineWait(session.lock, session.windowOpened, deadlineNanos)) {
        while (true) {
          if (stream.failure != null) {
            throw stream.failure;
          }
          if (stream.responded) {
            // The server answered before reading everything (e.g. 413): stop sending, keep the
            // answer.
            stream.resetLater(Http2ErrorCode.CANCEL);
            return;
          }
          if (!stream.state.canSend()) {
            return; // we reset it (the response was truncated): the exchange has its answer
          }
          int want = Math.min(session.peerMaxFrameSize, body.length - off);
          n = session.sendWindows.take(stream.sendWindow, want);
          if (n > 0) {
            break;
          }
          if (wait.expired()) {
            throw HttpFailures.deadline(
                "HTTP/2 flow-control window of "
                    + session.endpoint
                    + " stayed closed until the deadline ("
                    + off
                    + " of "
                    + body.length
                    + " bytes sent)");
          }
          wait.await();
        }
        last = off + n == body.length;
        if (last) {
          stream.state.sendEndStream();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw HttpFailures.cancelled("interrupted waiting for flow-control window");
      } finally {
        session.lock.unlock();
      }
      session.writer.acquire(deadlineNanos);
      try {
        // The writer learns a new peer frame size only with our SETTINGS ACK; until then it may
        // still hold the old (smaller) one.
        Http2FrameWriter frames = session.writer.frames();
        for (int sent = 0; sent < n; ) {
          int piece = Math.min(n - sent, frames.maxFrameSize());
          frames.writeData(stream.id, body, off + sent, piece, last && sent + piece == n);
          sent += piece;
        }
        session.writer.write(deadlineNanos);
      } catch (IOException e) {
        throw session.writeFailed(e);
      } finally {
        session.writer.release();
      }
      off += n;
    }
  }

  private void awaitResponse(Http2Stream stream, long deadlineNanos) throws IOException {
    await(stream, deadlineNanos, false);
  }

  private void awaitHead(Http2Stream stream, long deadlineNanos) throws IOException {
    await(stream, deadlineNanos, true);
  }

  /** Waits for the whole response, or only its head. */
  private void await(Http2Stream stream, long deadlineNanos, boolean headOnly) throws IOException {
    session.lock.lock();
    try (DeadlineWait wait = new DeadlineWait(session.lock, stream.changed, deadlineNanos)) {
      while (headOnly ? !stream.headReady() : !stream.done()) {
        if (wait.expired()) {
          stream.failure =
              HttpFailures.readTimeout(
                  "no complete HTTP/2 response from "
                      + session.endpoint
                      + " on stream "
                      + stream.id
                      + " before the deadline");
          stream.resetLater(Http2ErrorCode.CANCEL);
          break;
        }
        wait.await();
      }
      if (stream.failure != null) {
        throw stream.failure;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stream.resetLater(Http2ErrorCode.CANCEL);
      throw HttpFailures.cancelled("interrupted waiting for the response");
    } finally {
      session.lock.unlock();
    }
  }
}
