package dev.guise.fingerprint;

import dev.guise.fingerprint.AkamaiFingerprint.Http2Setting;
import dev.guise.fingerprint.AkamaiFingerprint.Priority;
import dev.guise.fingerprint.AkamaiFingerprint.PriorityFrame;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a browser sends at the start of an HTTP/2 connection and with each request: what an HTTP/2
 * client must reproduce to show the browser's Akamai fingerprint and frame sequence.
 *
 * <p>Immutable and thread-safe.
 *
 * @param settings the first SETTINGS frame's parameters, in wire order
 * @param connectionWindowUpdate the increment of the connection WINDOW_UPDATE sent right after the
 *     SETTINGS and before the first HEADERS; empty when none is sent
 * @param priorityFrames PRIORITY frames sent before the first HEADERS (none in the captures)
 * @param headersPriority the priority carried by a navigation request's HEADERS frame (PRIORITY
 *     flag set), empty when the browser sends HEADERS without it
 * @param firstStreamId the stream id of the first request (Chrome 1, Firefox 3)
 * @param streamWindowUpdate the increment of the stream WINDOW_UPDATE sent right after each request
 *     HEADERS (Firefox 12451840); empty when the browser sends none
 * @param pseudoHeaderOrder the order of the pseudo-headers in each request's HEADERS
 */
public record Http2Behaviour(
    List<Http2Setting> settings,
    OptionalLong connectionWindowUpdate,
    List<PriorityFrame> priorityFrames,
    Optional<Priority> headersPriority,
    int firstStreamId,
    OptionalLong streamWindowUpdate,
    List<String> pseudoHeaderOrder) {
  public Http2Behaviour {
    settings = List.copyOf(settings);
    Objects.requireNonNull(connectionWindowUpdate, "connectionWindowUpdate");
    priorityFrames = List.copyOf(priorityFrames);
    Objects.requireNonNull(headersPriority, "headersPriority");
    Objects.requireNonNull(streamWindowUpdate, "streamWindowUpdate");
    pseudoHeaderOrder = List.copyOf(pseudoHeaderOrder);
    if (firstStreamId <= 0 || firstStreamId % 2 == 0) {
      throw new IllegalArgumentException(
          "a client's first stream id is odd and > 0: " + firstStreamId);
    }
  }

  /** Whether PRIORITY frames are sent before the first HEADERS. */
  public boolean sendsPriorityFrames() {
    return !priorityFrames.isEmpty();
  }

  /** The Akamai fingerprint this behaviour produces. */
  public AkamaiFingerprint akamai() {
    return new AkamaiFingerprint(
        settings, connectionWindowUpdate.orElse(0), priorityFrames, pseudoHeaderOrder);
  }
}
