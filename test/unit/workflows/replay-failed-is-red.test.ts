// A failed sync and a rolled-back rollout recorded before they failed their workflows (they completed with
// their status) must replay on today's code, which fails them: patched('failed-is-red') keeps the old runs
// completing. The runs recorded since (ending FAILED, with SluicePhase set) replay too. Recorded once on the
// dev server with fake activities (a render that fails; a canary that never becomes ready).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { workflowsPath } from '../../../worker/workflows-path.js';

const History = proto.temporal.api.history.v1.History;
const dir = join(import.meta.dirname, '../../fixtures/histories');
const files = [
  'sync-failed-before-failed-is-red.json',
  'rollout-rolled-back-before-failed-is-red.json',
  'sync-failed-is-red.json',
  'rollout-rolled-back-is-red.json',
];
const load = (file: string) => ({
  workflowId: file,
  history: History.fromObject(JSON.parse(readFileSync(join(dir, file), 'utf8'))),
});

describe('replaying failed syncs and rolled-back rollouts from before and after they ended red', () => {
  it('replays each without a determinism error', async () => {
    const results = [];
    for await (const r of Worker.runReplayHistories({ workflowsPath: workflowsPath() }, files.map(load)))
      results.push({ workflowId: r.workflowId, error: r.error?.message });
    expect(results).toEqual(files.map((workflowId) => ({ workflowId, error: undefined })));
  }, 120_000);

  it('the old runs completed and the new ones failed, each with its status', () => {
    const end = (file: string) => {
      const events = JSON.parse(readFileSync(join(dir, file), 'utf8')).events as { eventType: string }[];
      return events.at(-1)?.eventType;
    };
    expect(files.map(end)).toEqual([
      'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED',
      'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED',
      'EVENT_TYPE_WORKFLOW_EXECUTION_FAILED',
      'EVENT_TYPE_WORKFLOW_EXECUTION_FAILED',
    ]);
  });
});
