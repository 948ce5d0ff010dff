/**
 * HTTP/2 framing (RFC 9113): {@link dev.guise.codec.http2.Http2FrameReader}, {@link
 * dev.guise.codec.http2.Http2FrameWriter}, the frame types ({@link
 * dev.guise.codec.http2.Http2Frame}), SETTINGS in wire order ({@link
 * dev.guise.codec.http2.Http2Setting}) and header block assembly across CONTINUATION frames ({@link
 * dev.guise.codec.http2.HeaderBlockAssembler}). Connection state (streams, flow control) is the
 * caller's.
 */
package dev.guise.codec.http2;
