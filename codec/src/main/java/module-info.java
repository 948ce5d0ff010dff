/**
 * HTTP wire formats for both directions (the pooled client and the loopback test server): HPACK
 * ({@link dev.guise.codec.hpack}), HTTP/2 frames with the flow windows and stream states both
 * sides keep ({@link dev.guise.codec.http2}), HTTP/1.1 messages and body framing
 * ({@link dev.guise.codec.http1}) and content decoders ({@link dev.guise.codec.content}).
 *
 * <p>Every parser bounds the memory a peer can make it use and reports bad input as a
 * {@link dev.guise.api.ClassifiedIOException}; nothing here opens sockets or threads.
 *
 * <p>The two decompression libraries have no module descriptor and no {@code Automatic-Module-Name}
 * in their manifests, so their module names are the ones the JDK derives from the jar file names:
 * {@code dec} (org.brotli:dec 0.1.2) and {@code aircompressor} (io.airlift:aircompressor 0.27).
 */
module dev.guise.codec {
  requires transitive dev.guise.api;
  requires dec;
  requires aircompressor;
  // aircompressor reads memory through sun.misc.Unsafe; an automatic module cannot say so itself,
  // and without this an application launched with -m would not resolve jdk.unsupported.
  requires jdk.unsupported;

  exports dev.guise.codec;
  exports dev.guise.codec.hpack;
  exports dev.guise.codec.http2;
  exports dev.guise.codec.http1;
  exports dev.guise.codec.content;
  exports dev.guise.codec.io;
}
