package dev.guise.examples.flinkcrawl;

import dev.guise.flink.FetchResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Emits each result exactly once into a {@link ResultLedger}, by two-phase commit over Flink's
 * checkpoints: results are buffered; a checkpoint seals the buffer as a batch into the operator's
 * state; when that checkpoint completes, the batch is committed. After a failure, results since the
 * last completed checkpoint are dropped with the task, and the source and the async operator send
 * their requests again; batches found in the restored state belong to a completed checkpoint and
 * are committed then (idempotently: the ledger ignores a batch committed before the failure).
 */
public final class CommittingSink extends ProcessFunction<FetchResult, Void>
    implements CheckpointedFunction, CheckpointListener {
  private static final long serialVersionUID = 1L;

  private final String runId;
  private transient List<FetchResult> open;
  private transient TreeMap<Long, Batch> sealed;
  private transient ListState<byte[]> state;

  /** A sealed batch: the results of one task between two checkpoints. */
  record Batch(String id, List<FetchResult> results) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  public CommittingSink(String runId) {
    this.runId = runId;
  }

  @Override
  public void processElement(FetchResult result, Context ctx, Collector<Void> out) {
    open.add(result);
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    long checkpoint = context.getCheckpointId();
    int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
    sealed.put(checkpoint, new Batch(subtask + "@" + checkpoint, List.copyOf(open)));
    open.clear();
    List<byte[]> all = new ArrayList<>(sealed.size());
    for (Batch b : sealed.values()) {
      all.add(serialize(b));
    }
    state.update(all);
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    ResultLedger ledger = ResultLedger.of(runId);
    Iterator<Map.Entry<Long, Batch>> it = sealed.headMap(checkpointId, true).entrySet().iterator();
    while (it.hasNext()) {
      Batch b = it.next().getValue();
      ledger.commit(b.id(), b.results());
      it.remove();
    }
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    open = new ArrayList<>();
    sealed = new TreeMap<>();
    state =
        context
            .getOperatorStateStore()
            .getListState(new ListStateDescriptor<>("sealed-batches", byte[].class));
    ResultLedger ledger = ResultLedger.of(runId);
    ledger.sawAttempt(getRuntimeContext().getTaskInfo().getAttemptNumber());
    if (context.isRestored()) {
      ledger.sawRestore();
      for (byte[] bytes : state.get()) {
        Batch b = deserialize(bytes);
        ledger.commit(b.id(), b.results());
      }
      state.clear();
    }
  }

  // Java serialisation for the sealed batches: the state is small-lived and read back only by this
  // class, and it keeps FetchResult's record layout out of Flink's type extraction here.
  private static byte[] serialize(Batch b) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(b);
    }
    return bytes.toByteArray();
  }

  private static Batch deserialize(byte[] bytes) throws IOException, ClassNotFoundException {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      return (Batch) in.readObject();
    }
  }
}
