/**
 * I/O buffers shared by every connection of the process: {@link dev.guise.codec.io.BufferPool} and
 * the streams that borrow from it only while bytes are in flight, so that an idle connection holds
 * no buffer of its own.
 */
package dev.guise.codec.io;
