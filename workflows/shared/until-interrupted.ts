// Work a workflow stops waiting for when it is interrupted: the work is cancelled (its activity is told at
// its next heartbeat and cleans up), and the caller goes on as for any interruption.
import { CancellationScope, condition, isCancellation } from '@temporalio/workflow';

/**
 * Runs `work` until it ends or `interrupted` holds; then cancels it and answers undefined. The rollout uses it
 * for analysis rounds with job metrics only: a Job may run for many minutes, and an abort should not wait.
 */
export async function untilInterrupted<T>(
  work: () => Promise<T>,
  interrupted: () => boolean,
): Promise<T | undefined> {
  const scope = new CancellationScope();
  const running = scope.run(work);
  let done = false;
  // Ends with the work too, so no condition is left waiting for every later activation.
  void condition(() => done || interrupted()).then(() => {
    if (!done) scope.cancel();
  });
  try {
    return await running;
  } catch (err) {
    if (isCancellation(err) && interrupted()) return undefined;
    throw err;
  } finally {
    done = true;
  }
}
