/**
 * HTTP wire formats for both directions (the pooled client and the loopback test server): HPACK
 * ({@link dev.guise.codec.hpack}), HTTP/2 frames with the flow windows and stream states both sides
 * keep ({@link dev.guise.codec.http2}), HTTP/1.1 messages and body framing ({@link
 * dev.guise.codec.http1}) and content decoders ({@link dev.guise.codec.content}).
 *
 * <p>Every parser bounds the memory a peer can make it use and reports bad input as a {@link
 * dev.guise.api.ClassifiedIOException}; nothing here opens sockets or threads.
 *
 * <p>Every package is exported only to the Guise modules that use it: the codec is not API.
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

  // The codec is Guise's own machinery, not API: no user code should compile against it, so each
  // package is exported only to the Guise modules that use it (a new user is added here, on
  // purpose). On the class path (benchmarks, fuzz tests) qualification does not apply.
  exports dev.guise.codec to
      dev.guise.testkit;
  exports dev.guise.codec.hpack to
      dev.guise.pool,
      dev.guise.testkit;
  exports dev.guise.codec.http2 to
      dev.guise.pool,
      dev.guise.testkit;
  exports dev.guise.codec.http1 to
      dev.guise.pool,
      dev.guise.testkit;
  exports dev.guise.codec.content to
      dev.guise.pool,
      dev.guise.tls.bouncycastle;
  exports dev.guise.codec.io to
      dev.guise.pool,
      dev.guise.tls.bouncycastle,
      dev.guise.tls.conscrypt,
      dev.guise.tls.jdk,
      dev.guise.tls.support;
}
