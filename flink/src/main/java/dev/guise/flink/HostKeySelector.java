package dev.guise.flink;

import org.apache.flink.api.java.functions.KeySelector;

/**
 * Keys fetch requests by {@linkplain FetchRequest#hostKey() host}, so that every request for a host
 * goes to the same task: that task's pool holds all of the host's connections (they stay hot, and
 * one task sees all of an IP's bans), and a per-host rate limit kept in the task holds for the
 * whole job.
 */
public final class HostKeySelector implements KeySelector<FetchRequest, String> {
  private static final long serialVersionUID = 1L;

  @Override
  public String getKey(FetchRequest request) {
    return request.hostKey();
  }
}
