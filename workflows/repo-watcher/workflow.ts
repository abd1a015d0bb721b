// The repository watcher workflow: its state and poll logic live in RepoWatcher (watcher.ts).
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { durationMs, jitterFactor } from '../shared/duration.js';
import { type RepoWatchInput, repoPushSignal, repoStatusQuery } from './messages.js';
import { RepoWatcher } from './watcher.js';

export { applicationWorkflowId } from '../../core/workflow-ids.js';

/**
 * Watches one repository (`repo/<id>`): polls its branch on an interval and at once on a push signal;
 * on a new commit loads and validates the pipeline files and starts, updates or stops one application
 * workflow per Application. An invalid commit is reported and changes nothing: the last valid set stays.
 */
export async function repoWatcherWorkflow(input: RepoWatchInput): Promise<never> {
  const watcher = new RepoWatcher(input);
  const { state } = watcher;
  const interval = durationMs(input.pollInterval ?? '1m');
  const maxPolls = input.maxPollsPerRun ?? 200;
  setHandler(repoPushSignal, () => watcher.onPush());
  setHandler(repoStatusQuery, () => watcher.status());

  for (let pollsThisRun = 0; ; pollsThisRun++) {
    await watcher.poll();
    const wait = Math.round(interval * jitterFactor(`${workflowInfo().workflowId}/${state.polls}`));
    await condition(() => watcher.pushed, wait);
    if (pollsThisRun + 1 >= maxPolls || workflowInfo().continueAsNewSuggested) {
      await watcher.alerts.drain();
      await condition(allHandlersFinished);
      await continueAsNew<typeof repoWatcherWorkflow>({ ...input, state });
    }
  }
}
