package dev.guise.pool;

import dev.guise.api.ClassifiedFailure;
import java.net.InetAddress;

/**
 * Hears a warm-up's progress, one call per IP as it finishes (from the warm-up's worker threads,
 * concurrently: implementations must be thread-safe and quick).
 */
@FunctionalInterface
public interface WarmUpProgress {
  /**
   * @param ip the IP just done
   * @param failure its failure, or null when a connection is ready
   * @param done IPs done so far, this one included
   * @param total IPs in the warm-up
   */
  void ipDone(InetAddress ip, ClassifiedFailure failure, int done, int total);

  WarmUpProgress NONE = (ip, failure, done, total) -> {};
}
