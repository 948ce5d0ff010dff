package dev.guise.redis.internal;

import dev.guise.pool.fleet.AccessEntry;
import dev.guise.pool.fleet.Ban;
import dev.guise.pool.fleet.BanKey;
import dev.guise.pool.fleet.FleetStore.Origin;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link LocalView} and Redis in step without a caller ever waiting: local changes go to
 * Redis behind the caller's back, written at once while Redis is up and nothing waits before them,
 * otherwise through one writer thread (a bounded queue; when full, the oldest change is dropped and
 * counted), the fleet's changes come in on the channel, and when Redis comes back after an outage
 * the two are reconciled: the changes that could not be sent are sent (lifts, access entries),
 * every local ban in force is pushed (unless the fleet has one for that key), and everything the
 * fleet holds is pulled in.
 *
 * <p>What another program may have written under the fleet's keys or on its channel is skipped (and
 * counted), never an error.
 */
final class Replicator implements RedisLink.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(Replicator.class);
  static final int QUEUE_LIMIT = 10_000;
  static final int OUTBOX_LIMIT = 10_000;

  /**
   * A change for Redis; {@code unsent} runs when it is known never to reach Redis (dropped, not
   * kept while Redis is away, refused at once).
   */
  private record Op(
      String what, Supplier<CompletableFuture<?>> send, boolean keepWhileDown, Runnable unsent) {
    Op(String what, Supplier<CompletableFuture<?>> send, boolean keepWhileDown) {
      this(what, send, keepWhileDown, () -> {});
    }
  }

  private final RedisLink link;
  private final Keys keys;
  private final LocalView view;
  private final String origin;
  private final String describe;
  private final Runnable recovered;
  private final BiConsumer<String, Throwable> failed;
  private final BlockingQueue<Op> queue = new LinkedBlockingQueue<>(QUEUE_LIMIT);
  // Orders sends: a change goes straight to Redis only when none is queued before it (unsent) and
  // none is kept or being reconciled; the writer writes a queued one under this lock too.
  private final Object order = new Object();
  // Guarded by order: changes queued and not yet written or kept by the writer.
  private int unsent;
  // Whether the outbox holds changes (written by the writer, read by callers).
  private volatile boolean holding;
  private volatile boolean reconciling;
  // Direct sends not yet answered: close waits for them.
  private final AtomicLong inFlight = new AtomicLong();
  // Writer thread only: the changes that failed while Redis was away, sent on its return.
  private final Deque<Op> outbox = new ArrayDeque<>();
  private final Thread writer;
  private volatile boolean reconcileWanted;
  private volatile boolean closed;
  // Whether an outage was reported and not yet followed by a reconciliation.
  private volatile boolean outage;
  // Entries changed here and not yet in Redis: a pull must not undo them.
  // Counted: the same entry may be changed twice before the first change reaches Redis.
  private final Map<AccessEntry, Integer> pendingAccess = new ConcurrentHashMap<>();
  // Access changes made here or heard from the fleet are numbered; while a pull runs, each entry's
  // latest number is kept. The pull leaves alone the entries changed after it began: its read of
  // Redis, on another connection than the channel, may predate the change, and the change already
  // set the entry's state. A change numbered before the pull began needs no record (see
  // pullAccess), so between pulls nothing is kept.
  private final Map<AccessEntry, Long> accessChangedAt = new ConcurrentHashMap<>();
  private final AtomicLong accessChanges = new AtomicLong();
  private volatile boolean pullingAccess;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong reconciliations = new AtomicLong();

  Replicator(
      RedisLink link,
      Keys keys,
      LocalView view,
      String origin,
      String describe,
      Runnable recovered,
      BiConsumer<String, Throwable> failed) {
    this.link = link;
    this.keys = keys;
    this.view = view;
    this.origin = origin;
    this.describe = describe;
    this.recovered = recovered;
    this.failed = failed;
    this.writer = new Thread(this::write, "guise-redis-writer");
    writer.setDaemon(true);
  }

  void start() {
    writer.start();
  }

  long dropped() {
    return dropped.get();
  }

  long skipped() {
    return skipped.get();
  }

  long reconciliations() {
    return reconciliations.get();
  }

  // ---- local changes, sent behind

  /** Sends a ban the local copy shows already, counted there as a put in flight. */
  void putBan(Ban ban) {
    // Not kept while down: the reconciliation pushes every local ban in force.
    submit(new Op("ban", () -> sendBan(ban, Scripts.PUT), false, () -> view.putSettled(ban.key())));
  }

  void liftBan(BanKey key) {
    FleetMessage m = new FleetMessage(origin, FleetMessage.LIFT, key.id(), "");
    submit(
        new Op(
            "lift",
            () ->
                link.run(
                    c ->
                        c.eval(
                            Scripts.LIFT,
                            ScriptOutputType.INTEGER,
                            new String[] {keys.ban(key), keys.banIndex()},
                            keys.channel(),
                            m.encode())),
            true));
  }

  void liftAllBans() {
    submit(new Op("lift-all", this::sendLiftAll, true));
  }

  void addStrike(BanKey key, long ttlMillis) {
    // Kept while down: the fleet's count must include the strikes made meanwhile, or a process
    // cut off from Redis would never add up to a ban with the others. Replayed later, a strike
    // lives only what is left of its ttl, and one whose ttl ran out is not sent at all.
    long endsAt = view.clock().millis() + Math.max(1, ttlMillis);
    submit(
        new Op(
            "strike",
            () -> {
              long left = endsAt - view.clock().millis();
              if (left <= 0) {
                return CompletableFuture.completedFuture(null);
              }
              return link.<Long>run(
                      c ->
                          c.eval(
                              Scripts.STRIKE,
                              ScriptOutputType.INTEGER,
                              new String[] {keys.strikes(key)},
                              Long.toString(left)))
                  .thenAccept(n -> view.fleetStrikes(key, n));
            },
            true));
  }

  void clearStrikes(BanKey key) {
    // Kept too, in order after the strikes it clears.
    submit(new Op("clear-strikes", () -> link.run(c -> c.del(keys.strikes(key))), true));
  }

  /** Marks {@code entry} as changing here, before the local copy changes: a pull leaves it be. */
  void accessPending(AccessEntry entry) {
    pendingAccess.merge(entry, 1, Integer::sum);
    accessChanged(entry);
  }

  private void accessChanged(AccessEntry entry) {
    // The number first, then the flag; pullAccess sets the flag, then reads the number. So a
    // change numbered after the pull's start always sees the flag and is kept.
    long n = accessChanges.incrementAndGet();
    if (pullingAccess) {
      accessChangedAt.put(entry, n);
    }
  }

  /** Whether {@code entry} changed here or was heard changing after change number {@code since}. */
  private boolean accessChangedSince(AccessEntry entry, long since) {
    return accessChangedAt.getOrDefault(entry, 0L) > since;
  }

  /** The change marked pending did not happen (nothing to send). */
  void accessSettled(AccessEntry entry) {
    pendingAccess.computeIfPresent(entry, (k, n) -> n > 1 ? n - 1 : null);
  }

  /** Sends an access change made here; {@link #accessPending} came first. */
  void access(AccessEntry entry, boolean add) {
    FleetMessage m =
        new FleetMessage(
            origin,
            add ? FleetMessage.ALLOW_DENY_ADD : FleetMessage.ALLOW_DENY_REMOVE,
            entry.id(),
            "");
    submit(
        new Op(
            "access",
            () ->
                link.run(
                        c ->
                            c.eval(
                                Scripts.ACCESS,
                                ScriptOutputType.INTEGER,
                                new String[] {keys.access()},
                                add ? "+" : "-",
                                entry.id(),
                                keys.channel(),
                                m.encode()))
                    .thenRun(() -> accessSettled(entry)),
            true));
  }

  /**
   * Sends {@code op} at once from the caller's thread when Redis is up and nothing is waiting
   * before it (queued, kept, or being reconciled); otherwise queues it for the writer. The direct
   * send saves a ban the writer thread's wake-up (on a loaded machine, the scheduler's delay is
   * most of a ban's trip to the fleet), and no change waits for the reply to the one before: Redis
   * runs one connection's commands in the order they were written, so order holds either way. It
   * never blocks: the command is written by Lettuce's I/O thread.
   */
  private void submit(Op op) {
    synchronized (order) {
      if (unsent == 0 && !reconcileWanted && !reconciling && !holding && link.up() && !closed) {
        sendNow(op);
        return;
      }
      unsent++;
      enqueue(op);
    }
  }

  private void enqueue(Op op) {
    while (!queue.offer(op)) {
      // Full (Redis slow for long): drop the oldest, never block the caller.
      Op oldest = queue.poll();
      if (oldest != null) {
        dropped.incrementAndGet();
        unsent--;
        oldest.unsent.run();
      }
    }
  }

  /** Under {@link #order}: writes {@code op}'s command; a failure goes back to the writer. */
  private void sendNow(Op op) {
    CompletableFuture<?> sent;
    try {
      sent = op.send.get();
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    if (sent.isCompletedExceptionally() && !op.keepWhileDown) {
      // Refused before it was written (Redis went away since the check): it never reaches Redis.
      op.unsent.run();
      return;
    }
    inFlight.incrementAndGet();
    sent.whenComplete(
        (result, failure) -> {
          inFlight.decrementAndGet();
          if (failure != null && op.keepWhileDown) {
            // Redis went away (or was slow) under it: the writer keeps it for the reconciliation,
            // or sends it again if Redis is back by then.
            synchronized (order) {
              unsent++;
              enqueue(op);
            }
          }
        });
  }

  /**
   * Stores {@code ban} with {@code script} (put or push), counted in the local copy as a put in
   * flight: when Redis answers that it stored nothing (over already, or a push the fleet had), no
   * notice of it will come, and the count is settled here.
   */
  private CompletableFuture<?> sendBan(Ban ban, String script) {
    return storeBan(ban, script)
        .thenApply(
            stored -> {
              if (!Long.valueOf(1).equals(stored)) {
                view.putSettled(ban.key());
              }
              return stored;
            });
  }

  private CompletableFuture<Long> storeBan(Ban ban, String script) {
    long left = ban.until().toEpochMilli() - view.clock().millis();
    if (left <= 0) {
      return CompletableFuture.completedFuture(0L); // over already: nothing to share
    }
    String record =
        new BanRecord(ban.until().toEpochMilli(), ban.at().toEpochMilli(), origin, ban.reason())
            .encode();
    FleetMessage m = new FleetMessage(origin, FleetMessage.BAN, ban.key().id(), record);
    return link.run(
        c ->
            c.eval(
                script,
                ScriptOutputType.INTEGER,
                new String[] {keys.ban(ban.key()), keys.banIndex()},
                record,
                Long.toString(left),
                keys.channel(),
                m.encode()));
  }

  private CompletableFuture<?> sendLiftAll() {
    // One script: no ban another process makes meanwhile can fall between the deletes and the
    // notice (deleted in Redis but kept by every process, or the other way round).
    FleetMessage m = new FleetMessage(origin, FleetMessage.LIFT_ALL, "", "");
    return link.run(
        c ->
            c.eval(
                Scripts.LIFT_ALL,
                ScriptOutputType.INTEGER,
                new String[] {keys.banIndex()},
                keys.banPrefix(),
                keys.channel(),
                m.encode()));
  }

  // ---- the writer thread

  private void write() {
    while (!closed) {
      try {
        if (reconcileWanted && link.up()) {
          reconciling = true;
          reconcileWanted = false;
          try {
            reconcile();
          } finally {
            reconciling = false;
          }
        }
        Op op = queue.poll(50, TimeUnit.MILLISECONDS);
        if (op == null) {
          continue;
        }
        CompletableFuture<?> sent = null;
        synchronized (order) {
          // Written (or kept) before the count lets callers send directly: nothing overtakes it.
          if (link.up()) {
            try {
              sent = op.send.get();
            } catch (RuntimeException e) {
              sent = CompletableFuture.failedFuture(e);
            }
          } else {
            keep(op);
            if (!op.keepWhileDown) {
              op.unsent.run();
            }
          }
          unsent--;
        }
        if (sent == null) {
          continue;
        }
        try {
          await(sent);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
          synchronized (order) {
            keep(op);
          }
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void keep(Op op) {
    if (!op.keepWhileDown) {
      return;
    }
    if (outbox.size() >= OUTBOX_LIMIT) {
      outbox.pollFirst();
      dropped.incrementAndGet();
    }
    outbox.addLast(op);
    holding = true;
  }

  private <T> T await(CompletableFuture<T> f)
      throws ExecutionException, TimeoutException, InterruptedException {
    // The link times a command out itself; this bound only guards against a future never done.
    return f.get(link.commandTimeoutMillis() + 1000, TimeUnit.MILLISECONDS);
  }

  /**
   * Sends what was kept, pushes local bans, pulls the fleet's state. On failure (Redis gone again)
   * it is tried again at the next up.
   */
  private void reconcile() throws InterruptedException {
    try {
      while (!outbox.isEmpty()) {
        await(outbox.peekFirst().send.get());
        outbox.pollFirst();
      }
      holding = false;
      // Notices published while this process was not subscribed are lost: no put still waits
      // for its own. The pull below brings what Redis holds.
      view.forgetPutsInFlight();
      Instant now = view.clock().instant();
      for (Ban ban : view.bans()) {
        if (ban.inForceAt(now)) {
          // A push Redis takes is told on the channel like a put: in flight until it comes back.
          view.putSending(ban.key());
          await(sendBan(ban, Scripts.PUSH));
        }
      }
      pullBans();
      pullAccess();
      reconciliations.incrementAndGet();
      if (outage) {
        outage = false;
        LOG.info("fleet store {} reconciled with redis", describe);
        recovered.run();
      }
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      LOG.debug("reconciliation with redis failed; tried again when it answers", e);
      reconcileWanted = true;
    }
  }

  private List<String> banKeys() throws ExecutionException, TimeoutException, InterruptedException {
    List<String> names;
    try {
      names = await(link.run(c -> c.zrange(keys.banIndex(), 0, -1)));
    } catch (ExecutionException e) {
      // Another program's value of another type under the index: no bans from the fleet.
      skipped.incrementAndGet();
      return List.of();
    }
    List<String> out = new ArrayList<>(names.size());
    for (String name : names) {
      if (keys.banId(name) != null) {
        out.add(name);
      } else {
        skipped.incrementAndGet();
      }
    }
    return out;
  }

  private void pullBans() throws ExecutionException, TimeoutException, InterruptedException {
    List<String> names = banKeys();
    long now = view.clock().millis();
    for (int i = 0; i < names.size(); i += 500) {
      String[] chunk = names.subList(i, Math.min(names.size(), i + 500)).toArray(String[]::new);
      List<KeyValue<String, String>> values = await(link.run(c -> c.mget(chunk)));
      for (KeyValue<String, String> kv : values) {
        Ban ban = kv.hasValue() ? ban(keys.banId(kv.getKey()), kv.getValue()) : null;
        if (ban == null) {
          if (kv.hasValue()) {
            skipped.incrementAndGet();
          }
          continue;
        }
        if (ban.until().toEpochMilli() > now) {
          Ban held = view.ban(ban.key());
          // The later end wins: a local ban pushed above and the fleet's may differ.
          if (held == null || held.until().isBefore(ban.until())) {
            view.putBan(ban, Origin.FLEET);
          }
        }
      }
    }
  }

  private void pullAccess() throws ExecutionException, TimeoutException, InterruptedException {
    accessChangedAt.clear();
    pullingAccess = true;
    try {
      pullAccess(accessChanges.get());
    } finally {
      pullingAccess = false;
      accessChangedAt.clear();
    }
  }

  /**
   * Brings the fleet's access entries into the local copy. A change heard before number {@code
   * since} was applied in Redis before this read (Redis changes the set, then publishes); one after
   * it may not be in the read, and wins over it.
   */
  private void pullAccess(long since)
      throws ExecutionException, TimeoutException, InterruptedException {
    // Only entries held before the read can have been removed elsewhere; one added since is new.
    List<AccessEntry> before = view.accessEntries();
    Set<String> ids;
    try {
      ids = await(link.run(c -> c.smembers(keys.access())));
    } catch (ExecutionException e) {
      // Another program's value of another type under the key: no entries from the fleet.
      skipped.incrementAndGet();
      return;
    }
    Set<AccessEntry> remote = new HashSet<>();
    for (String id : ids) {
      try {
        remote.add(AccessEntry.parse(id));
      } catch (IllegalArgumentException e) {
        skipped.incrementAndGet();
      }
    }
    for (AccessEntry e : remote) {
      if (!pendingAccess.containsKey(e) && !accessChangedSince(e, since)) {
        view.access(e, true, Origin.FLEET);
      }
    }
    // Entries this process holds that the fleet no longer has were removed elsewhere meanwhile
    // (this process's own adds were sent from the outbox above).
    for (AccessEntry e : before) {
      if (!remote.contains(e) && !pendingAccess.containsKey(e) && !accessChangedSince(e, since)) {
        view.access(e, false, Origin.FLEET);
      }
    }
  }

  private Ban ban(String id, String value) {
    BanRecord r = BanRecord.decode(value);
    if (id == null || r == null) {
      return null;
    }
    try {
      return new Ban(
          BanKey.parse(id),
          r.reason(),
          Instant.ofEpochMilli(r.bannedAtMillis()),
          Instant.ofEpochMilli(r.untilMillis()));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  // ---- RedisLink.Listener: the heartbeat's and the channel's thread; never block

  @Override
  public void down(String why) {
    outage = true;
    failed.accept("fleet store " + describe + " is unavailable (" + why + ")", null);
  }

  @Override
  public void up() {
    reconcileWanted = true;
  }

  @Override
  public void message(String text) {
    FleetMessage m = FleetMessage.decode(text);
    if (m == null) {
      skipped.incrementAndGet();
      return;
    }
    boolean ours = m.origin().equals(origin);
    // Our own notices count too: they mark where in Redis's order our changes ran. A ban of ours
    // coming back ends its put's time in flight; a lift of ours drops what this process heard of
    // between its own lift and Redis's (bans Redis ran before the lift, so lifted there too).
    Origin by = ours ? Origin.LOCAL : Origin.FLEET;
    try {
      switch (m.kind()) {
        case FleetMessage.BAN -> {
          Ban ban = ban(m.subject(), m.detail());
          if (ban == null) {
            skipped.incrementAndGet();
          } else if (ours) {
            view.ownPutNoticed(ban.key());
          } else {
            view.banNoticed(ban);
          }
        }
        case FleetMessage.LIFT -> view.liftNoticed(BanKey.parse(m.subject()), by);
        case FleetMessage.LIFT_ALL -> view.liftAllNoticed(by);
        case FleetMessage.ALLOW_DENY_ADD, FleetMessage.ALLOW_DENY_REMOVE -> {
          if (!ours) {
            access(m);
          }
        }
        default -> skipped.incrementAndGet();
      }
    } catch (IllegalArgumentException e) {
      skipped.incrementAndGet();
    }
  }

  /** Another process's access change; this process applied its own already. */
  private void access(FleetMessage m) {
    boolean add = m.kind().equals(FleetMessage.ALLOW_DENY_ADD);
    AccessEntry entry = AccessEntry.parse(m.subject());
    accessChanged(entry);
    view.access(entry, add, Origin.FLEET);
  }

  /** Stops the writer after it sent what is queued, for at most {@code millis}. */
  void close(long millis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while ((!queue.isEmpty() || inFlight.get() > 0) && link.up() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    closed = true;
    writer.interrupt();
    try {
      writer.join(link.commandTimeoutMillis() + 2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
