package dev.guise.codec.http2;

/**
 * The 9-octet header of a frame exactly as it arrived (RFC 9113 section 4.1). {@link Http2Frame}
 * keeps only the flags its type defines and no payload length; code that records what a peer sent
 * (a fingerprinting server, a debug log) needs the raw octets, including undefined flag bits and
 * padding, and needs them also for a frame the reader rejected.
 *
 * @param length the payload length, padding included
 * @param type the type octet
 * @param flags the flags octet as sent, undefined bits included
 * @param streamId the stream id, reserved bit cleared
 */
public record Http2FrameHeader(int length, int type, int flags, int streamId) {}
