package dev.guise.pool.internal;

import java.util.List;

/**
 * Round robin over a host's routes: the route at the cursor serves the request if it can, else the
 * next one is asked. Load spreads over all the host's IPs, which is the point of having many.
 */
final class RoundRobinRotation implements RouteRotation {
  /**
   * The position of the route whose turn it is. Written under the host lock, and by the unlocked
   * lease that took an idle connection at the route it points to; a lost update between the two
   * only bends the rotation for one request.
   */
  private volatile int cursor;

  @Override
  public int firstChoice(List<RoutePool> routes) {
    int at = cursor;
    return at < routes.size() ? at : -1;
  }

  @Override
  public void order(List<RoutePool> routes, int[] order) {
    int n = order.length;
    int start = cursor < n ? cursor : 0;
    for (int i = 0; i < n; i++) {
      order[i] = (start + i) % n;
    }
  }

  @Override
  public void served(int index, int size) {
    cursor = (index + 1) % size;
  }
}
