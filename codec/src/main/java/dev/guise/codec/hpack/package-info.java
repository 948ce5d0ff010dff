/**
 * HPACK, the header compression of HTTP/2 (RFC 7541): {@link dev.guise.codec.hpack.HpackEncoder}
 * and {@link dev.guise.codec.hpack.HpackDecoder}. One of each per connection, used by one thread at
 * a time.
 */
package dev.guise.codec.hpack;
