/**
 * HTTP/1.1 messages (RFC 9112) for both directions: request and response head writers and parsers,
 * body framing (Content-Length, chunked with trailers, close-delimited) over a shared {@link
 * dev.guise.codec.http1.Http1Input}, all with size limits ({@link
 * dev.guise.codec.http1.Http1Limits}).
 */
package dev.guise.codec.http1;
