// Activities of the pipeline trigger workflow: wait for an Application event, keep a cron Schedule
// in step with the Pipeline, and list the files a commit changed (for git triggers with paths).
import { Context, heartbeat, sleep } from '@temporalio/activity';
import { ScheduleNotFoundError } from '@temporalio/client';
import { applicationWorkflowId } from '../../core/workflow-ids.js';
import { applicationStatusQuery } from '../../workflows/application/messages.js';
import type { PipelineRunInput } from '../../workflows/pipeline/messages.js';
import { SluiceApp, SluiceKind } from '../../workflows/shared/search-attributes.js';
import type { RepoCache } from '../git/repo-cache.js';
import { whileBeating } from '../keep-alive.js';

const POLL_MS = 2000;

/** Waits, heartbeating, until the Application is synced / Healthy / promoted at a revision other than `after`. */
export async function awaitApplicationEvent(input: {
  /** The Pipeline's repository: its trigger watches an Application declared beside it. */
  repoId: string;
  application: string;
  event: 'synced' | 'healthy' | 'promoted';
  after?: string;
}): Promise<{ revision: string }> {
  const handle = Context.current().client.workflow.getHandle(
    applicationWorkflowId(input.repoId, input.application),
  );
  for (;;) {
    const s = await handle.query(applicationStatusQuery).catch(() => undefined);
    heartbeat({ health: s?.health, syncedRevision: s?.syncedRevision });
    const rev = s?.syncedRevision;
    if (s && rev && rev !== input.after) {
      if (input.event === 'synced') return { revision: rev };
      if (input.event === 'healthy' && s.health === 'Healthy' && s.phase !== 'Syncing')
        return { revision: rev };
      if (input.event === 'promoted' && s.rollout?.revision === rev && s.rollout.phase === 'Succeeded')
        return { revision: rev };
    }
    await sleep(POLL_MS);
  }
}

/** Creates or updates the Pipeline's Temporal Schedule (cron in UTC); without `cron`, deletes it. */
export async function upsertPipelineSchedule(input: {
  scheduleId: string;
  cron?: string;
  workflowIdPrefix?: string;
  taskQueue?: string;
  input?: PipelineRunInput;
}): Promise<void> {
  const client = Context.current().client;
  const handle = client.schedule.getHandle(input.scheduleId);
  if (!input.cron || !input.input) {
    await handle.delete().catch((err: unknown) => {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    });
    return;
  }
  const spec = { cronExpressions: [input.cron] };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'pipelineWorkflow',
    workflowId: input.workflowIdPrefix as string,
    taskQueue: input.taskQueue as string,
    args: [input.input],
    typedSearchAttributes: [
      { key: SluiceApp, value: input.input.pipeline.name },
      { key: SluiceKind, value: 'pipeline' },
    ],
  };
  try {
    await handle.update((prev) => ({ ...prev, spec, action }));
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
    await client.schedule.create({ scheduleId: input.scheduleId, spec, action });
  }
}

/** Files that differ between two commits already in the repository cache (every file when `from` is absent), within the Git limits. */
export async function changedPaths(
  repoCache: RepoCache,
  input: { url: string; from?: string; to: string },
): Promise<string[]> {
  return whileBeating({ diffing: input.url }, () => repoCache.changedPaths(input.url, input.to, input.from));
}
