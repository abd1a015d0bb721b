import type { Client } from '@temporalio/client';
import { runStatus } from '../../core/run-endings.js';
import { applicationStatusQuery } from '../../workflows/application/messages.js';
import { isTerminal, type RolloutStatus, rolloutStatusQuery } from '../../workflows/rollout/messages.js';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One line per change of a rollout: phase, step, weight and the last checks against their conditions. */
export function describeRollout(s: RolloutStatus): string {
  const checks = (s.lastChecks ?? [])
    .map(
      (c) =>
        `${c.name} ${c.value === undefined ? '–' : Number(c.value.toFixed(2))} (${c.condition ?? ''}) ${c.verdict}`,
    )
    .join(', ');
  const step = s.steps > 0 ? ` step ${Math.min(s.step + 1, s.steps)}/${s.steps}` : '';
  return `${s.phase}${step} canary ${s.canaryWeight}%${s.failedChecks ? ` failed checks ${s.failedChecks}/${s.threshold}` : ''}${checks ? ` · ${checks}` : ''}`;
}

/**
 * Waits until the application has started a rollout of `revision`, then prints its progress until it
 * ends; answers the final status and its workflow ID.
 */
export async function watchRollout(
  client: Client,
  appWorkflowId: string,
  revision: string,
  print: (line: string) => void,
  timeoutMs = 240_000,
): Promise<RolloutStatus & { workflowId: string }> {
  const deadline = Date.now() + timeoutMs;
  let workflowId: string | undefined;
  while (!workflowId) {
    if (Date.now() > deadline)
      throw new Error(`no rollout of ${revision.slice(0, 7)} started within ${timeoutMs / 1000}s`);
    const status = await client.workflow
      .getHandle(appWorkflowId)
      .query(applicationStatusQuery)
      .catch(() => undefined);
    if (status?.rolloutError) throw new Error(status.rolloutError);
    if (status?.rollout?.revision === revision) workflowId = status.rollout.workflowId;
    else await pause(500);
  }
  const handle = client.workflow.getHandle(workflowId);
  let last = '';
  for (;;) {
    if (Date.now() > deadline)
      throw new Error(`rollout ${workflowId} still running after ${timeoutMs / 1000}s`);
    const s = await handle.query(rolloutStatusQuery);
    const line = describeRollout(s);
    if (line !== last) print(`  ${line}`);
    last = line;
    // The phase turns terminal before the last announcements: the result is the real end.
    // A rollback fails the workflow with its status as the failure's detail: runStatus reads either ending.
    if (isTerminal(s.phase))
      return { ...(await runStatus(handle.result() as Promise<RolloutStatus>)), workflowId };
    await pause(500);
  }
}
