/**
 * Content decoders with hard output limits: {@link dev.guise.codec.content.ContentDecoders} for
 * {@code Content-Encoding} (gzip, deflate, br, zstd, stacked) and RFC 8879 certificate
 * decompression.
 */
package dev.guise.codec.content;
