package dev.guise.fingerprint;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Akamai HTTP/2 client fingerprint: {@code SETTINGS|WINDOW_UPDATE|PRIORITY|PSEUDO_HEADERS}.
 *
 * <ul>
 *   <li>SETTINGS: every setting of the client's first SETTINGS frame in wire order, as {@code
 *       id:value}, joined by {@code ;};
 *   <li>WINDOW_UPDATE: the increment of the connection-level (stream 0) WINDOW_UPDATE sent before
 *       the first HEADERS, or {@code 00} when there is none;
 *   <li>PRIORITY: the PRIORITY frames sent before the first HEADERS as {@code
 *       stream:exclusive:depends_on:weight} (exclusive 0/1, weight 1..256, the wire value + 1),
 *       joined by {@code ,}, or {@code 0} when there are none;
 *   <li>PSEUDO_HEADERS: the first letter of each pseudo-header of the first HEADERS in order
 *       ({@code m} :method, {@code a} :authority, {@code s} :scheme, {@code p} :path), joined by
 *       {@code ,}.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 *
 * @param settings the first SETTINGS frame's settings in wire order
 * @param connectionWindowUpdate the connection WINDOW_UPDATE increment before the first HEADERS, 0
 *     when none was sent
 * @param priorityFrames the PRIORITY frames before the first HEADERS, in order
 * @param pseudoHeaderOrder the pseudo-header names of the first HEADERS in order, e.g. {@code
 *     [":method", ":authority", ":scheme", ":path"]}
 */
public record AkamaiFingerprint(
    List<Http2Setting> settings,
    long connectionWindowUpdate,
    List<PriorityFrame> priorityFrames,
    List<String> pseudoHeaderOrder) {

  /**
   * One HTTP/2 SETTINGS parameter.
   *
   * @param id the setting identifier (1 HEADER_TABLE_SIZE, 2 ENABLE_PUSH, 3 MAX_CONCURRENT_STREAMS,
   *     4 INITIAL_WINDOW_SIZE, 5 MAX_FRAME_SIZE, 6 MAX_HEADER_LIST_SIZE, ...)
   * @param value the 32-bit unsigned value
   */
  public record Http2Setting(int id, long value) {
    public Http2Setting {
      if (id < 0 || id > 0xffff) {
        throw new IllegalArgumentException("setting id out of range: " + id);
      }
      if (value < 0 || value > 0xffffffffL) {
        throw new IllegalArgumentException("setting value out of range: " + value);
      }
    }
  }

  /**
   * An HTTP/2 priority (of a PRIORITY frame or of a HEADERS frame with the PRIORITY flag).
   *
   * @param exclusive the E bit
   * @param dependsOn the stream this one depends on
   * @param weight the weight 1..256 (the wire byte + 1)
   */
  public record Priority(boolean exclusive, int dependsOn, int weight) {
    public Priority {
      if (dependsOn < 0) {
        throw new IllegalArgumentException("stream dependency must be >= 0: " + dependsOn);
      }
      if (weight < 1 || weight > 256) {
        throw new IllegalArgumentException("weight must be 1..256: " + weight);
      }
    }
  }

  /**
   * A PRIORITY frame.
   *
   * @param streamId the stream the frame is about
   * @param priority what it says
   */
  public record PriorityFrame(int streamId, Priority priority) {
    public PriorityFrame {
      Objects.requireNonNull(priority, "priority");
      if (streamId <= 0) {
        throw new IllegalArgumentException("PRIORITY frame stream id must be > 0: " + streamId);
      }
    }
  }

  public AkamaiFingerprint {
    settings = List.copyOf(settings);
    priorityFrames = List.copyOf(priorityFrames);
    pseudoHeaderOrder = List.copyOf(pseudoHeaderOrder);
    if (connectionWindowUpdate < 0 || connectionWindowUpdate > 0x7fffffffL) {
      throw new IllegalArgumentException("window update out of range: " + connectionWindowUpdate);
    }
    for (String p : pseudoHeaderOrder) {
      if (p.length() < 2 || p.charAt(0) != ':') {
        throw new IllegalArgumentException("not a pseudo-header: " + p);
      }
    }
  }

  /** The fingerprint string, e.g. {@code 1:65536;2:0;4:6291456;6:262144|15663105|0|m,a,s,p}. */
  public String value() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < settings.size(); i++) {
      if (i > 0) {
        sb.append(';');
      }
      sb.append(settings.get(i).id()).append(':').append(settings.get(i).value());
    }
    sb.append('|')
        .append(connectionWindowUpdate == 0 ? "00" : Long.toString(connectionWindowUpdate));
    sb.append('|');
    if (priorityFrames.isEmpty()) {
      sb.append('0');
    } else {
      List<String> frames = new ArrayList<>();
      for (PriorityFrame f : priorityFrames) {
        Priority p = f.priority();
        frames.add(
            f.streamId() + ":" + (p.exclusive() ? 1 : 0) + ":" + p.dependsOn() + ":" + p.weight());
      }
      sb.append(String.join(",", frames));
    }
    sb.append('|');
    for (int i = 0; i < pseudoHeaderOrder.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(pseudoHeaderOrder.get(i).charAt(1));
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return value();
  }
}
