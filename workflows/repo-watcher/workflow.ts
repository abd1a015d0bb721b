// The repository watcher workflow: its state and poll logic live in RepoWatcher (watcher.ts).
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { durationMs, jitterFactor } from '../shared/duration.js';
import { workflowNow } from '../shared/workflow-time.js';
import { type RepoWatchInput, repoPushSignal, repoStatusQuery, sourcePushedSignal } from './messages.js';
import { RepoWatcher } from './watcher.js';

export { applicationWorkflowId } from '../../core/workflow-ids.js';

/**
 * Watches one repository (`repo/<id>`): polls its branch on an interval and at once on a push signal;
 * on a new commit loads and validates the pipeline files and starts, updates or stops one application
 * workflow per Application. An invalid commit is reported and changes nothing: the last valid set stays.
 * Each poll also resolves its Applications' sources (one activity) and signals each its commit; a
 * sourcePushed signal (a push to any repository) resolves the sources from that repository at once.
 */
export async function repoWatcherWorkflow(input: RepoWatchInput): Promise<never> {
  const watcher = new RepoWatcher(input);
  const { state } = watcher;
  const interval = durationMs(input.pollInterval ?? '1m');
  const maxPolls = input.maxPollsPerRun ?? 200;
  setHandler(repoPushSignal, () => watcher.onPush());
  setHandler(sourcePushedSignal, (push) => watcher.onSourcePushed(push));
  setHandler(repoStatusQuery, () => watcher.status());

  let poll = true;
  let nextPoll = 0;
  for (let pollsThisRun = 0; ; pollsThisRun++) {
    if (poll) {
      await watcher.poll();
      nextPoll =
        workflowNow() + Math.round(interval * jitterFactor(`${workflowInfo().workflowId}/${state.polls}`));
    } else await watcher.resolvePushedSources();
    // A push to another repository resolves only its sources and keeps this repository's poll on time.
    const wait = nextPoll - workflowNow();
    const woken = wait > 0 && (await condition(() => watcher.pushed || watcher.sourcesPushed(), wait));
    poll = !woken || watcher.pushed;
    if (pollsThisRun + 1 >= maxPolls || workflowInfo().continueAsNewSuggested) {
      await watcher.alerts.drain();
      await condition(allHandlersFinished);
      await continueAsNew<typeof repoWatcherWorkflow>({ ...input, state });
    }
  }
}
