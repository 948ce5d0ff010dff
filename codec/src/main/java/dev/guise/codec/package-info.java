/**
 * What the codecs share: {@link dev.guise.codec.CodecException}, the classified failure they throw.
 */
package dev.guise.codec;
