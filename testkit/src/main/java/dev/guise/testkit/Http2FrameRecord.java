package dev.guise.testkit;

/**
 * One HTTP/2 frame the client sent, as logged by the {@link TestServer}.
 *
 * @param type the frame type code (0 DATA, 1 HEADERS, 2 PRIORITY, 3 RST_STREAM, 4 SETTINGS, 5
 *     PUSH_PROMISE, 6 PING, 7 GOAWAY, 8 WINDOW_UPDATE, 9 CONTINUATION)
 * @param typeName the type's name, or {@code UNKNOWN_<n>}
 * @param flags the flags byte
 * @param streamId the stream id
 * @param length the payload length
 * @param detail the decoded payload: settings {@code id:value} list, window increment, priority,
 *     error code, header list ... or empty for DATA
 */
public record Http2FrameRecord(
    int type, String typeName, int flags, int streamId, int length, String detail) {}
