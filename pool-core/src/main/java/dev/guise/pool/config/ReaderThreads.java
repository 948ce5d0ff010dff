package dev.guise.pool.config;

/**
 * The kind of thread that reads each HTTP/2 connection's frames, one per connection for its whole
 * life. HTTP/1.1 connections have none: the caller reads its own response.
 */
public enum ReaderThreads {
  /**
   * A platform thread while the connection is busy, a virtual one while it is quiet (the default).
   * The reader starts virtual; when a response begins it moves to a platform thread, and when a
   * read tick (5 seconds) passes with no stream open and no frame begun it moves back. Busy
   * connections get {@link #PLATFORM}'s speed and idle ones {@link #VIRTUAL}'s memory, at the cost
   * of starting a thread at each change.
   */
  ADAPTIVE,
  /**
   * A daemon platform (kernel) thread per connection. A response wakes it straight from its
   * blocking read, so it reaches the caller with one wake-up. Costs a native stack per HTTP/2
   * connection for its whole life, busy or not (about 150 KB committed, measured in {@code
   * benchmarks/README.md}).
   */
  PLATFORM,
  /**
   * A virtual thread per connection: nothing native per connection, for pools of many thousand
   * HTTP/2 connections. Each response then goes through the JDK's poller and the virtual-thread
   * scheduler before it reaches the caller, which costs throughput and CPU per request on a busy
   * connection (at one caller on a virtual thread, in the benchmarks: 10-15 % fewer requests per
   * second and 35-45 % more client CPU per request than a platform reader).
   */
  VIRTUAL
}
