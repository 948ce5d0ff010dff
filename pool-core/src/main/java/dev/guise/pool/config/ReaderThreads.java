package dev.guise.pool.config;

/**
 * The kind of thread that reads each HTTP/2 connection's frames, one per connection for its whole
 * life. HTTP/1.1 connections have none: the caller reads its own response.
 */
public enum ReaderThreads {
  /**
   * A platform (kernel) thread per connection, daemon (the default). A response wakes it straight
   * from its blocking read, so it is handed to the caller with one wake-up. Costs a native stack
   * per HTTP/2 connection (measured: see {@code benchmarks/README.md}), which suits pools of up to
   * a few thousand connections.
   */
  PLATFORM,
  /**
   * A virtual thread per connection: nothing native per connection, for pools of many thousand
   * HTTP/2 connections. Each response then goes through the JDK's poller and the virtual-thread
   * scheduler before it reaches the caller, which costs throughput and CPU per request on a busy
   * connection (about a third fewer requests per second at one caller, in the benchmarks).
   */
  VIRTUAL
}
