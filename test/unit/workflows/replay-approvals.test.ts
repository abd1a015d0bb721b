// Histories recorded before approvals were signed (a Pipeline with two approve steps approved by name, a
// rollout resumed, paused and promoted) must replay on today's code: patched('signed-approvals') and
// patched('signed-gates') keep those runs doing what they did.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { workflowsPath } from '../../../worker/workflows-path.js';

const History = proto.temporal.api.history.v1.History;
const dir = join(import.meta.dirname, '../../fixtures/histories');
const load = (file: string) => ({
  workflowId: file,
  history: History.fromObject(JSON.parse(readFileSync(join(dir, file), 'utf8'))),
});

describe('replaying histories from before signed approvals', () => {
  it('replays an approved pipeline run and a resumed and promoted rollout without a determinism error', async () => {
    const results = [];
    for await (const r of Worker.runReplayHistories({ workflowsPath: workflowsPath() }, [
      load('pipeline-approve-before-signed-approvals.json'),
      load('rollout-gates-before-signed-approvals.json'),
    ]))
      results.push({ workflowId: r.workflowId, error: r.error?.message });
    expect(results).toEqual([
      { workflowId: 'pipeline-approve-before-signed-approvals.json', error: undefined },
      { workflowId: 'rollout-gates-before-signed-approvals.json', error: undefined },
    ]);
  }, 120_000);
});
