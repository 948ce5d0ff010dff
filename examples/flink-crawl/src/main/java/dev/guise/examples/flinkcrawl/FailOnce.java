package dev.guise.examples.flinkcrawl;

import dev.guise.flink.FetchResult;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * {@code --fail-once}: chained to the fetch operator, so throwing here kills the fetching task with
 * requests in flight. Subtask 0 fails once, on its first attempt, after a checkpoint has completed
 * and it has passed on {@code after} results: the restore then starts from a real checkpoint, not
 * from the beginning.
 */
public final class FailOnce extends RichMapFunction<FetchResult, FetchResult>
    implements CheckpointListener {
  private static final long serialVersionUID = 1L;

  private final long after;
  private transient long seen;
  private transient volatile boolean checkpointed;

  public FailOnce(long after) {
    this.after = after;
  }

  @Override
  public FetchResult map(FetchResult result) {
    seen++;
    var task = getRuntimeContext().getTaskInfo();
    if (checkpointed
        && seen >= after
        && task.getAttemptNumber() == 0
        && task.getIndexOfThisSubtask() == 0) {
      throw new IllegalStateException("--fail-once: the fetch task fails on purpose mid-run");
    }
    return result;
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    checkpointed = true;
  }
}
