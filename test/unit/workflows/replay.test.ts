// Every history recorded under test/fixtures/histories/ must replay on today's workflow code: a change to
// what a running workflow does (its activities, timers, children, signals, in their order) that is not
// behind patched() fails here, and so fails CI. The histories are real runs recorded from the integration
// tests (`npm run record:histories`, docs/upgrading.md); two older ones were recorded before signed
// approvals, and replay through patched('signed-approvals') and patched('signed-gates'); two before a
// failed sync or rollback failed its workflow, replaying through patched('failed-is-red').
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { workflowsPath } from '../../../worker/workflows-path.js';

const History = proto.temporal.api.history.v1.History;
const dir = join(import.meta.dirname, '../../fixtures/histories');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('replaying recorded histories', () => {
  it('finds the recorded histories', () => {
    expect(files.length).toBeGreaterThanOrEqual(2);
  });

  it('replays every recorded history without a determinism error', async () => {
    const histories = files.map((file) => ({
      workflowId: file,
      history: History.fromObject(JSON.parse(readFileSync(join(dir, file), 'utf8'))),
    }));
    // One bundle for all: runReplayHistories builds the workflow bundle once and replays each history on it.
    const results: Record<string, string> = {};
    for await (const r of Worker.runReplayHistories({ workflowsPath: workflowsPath() }, histories))
      results[r.workflowId] = r.error ? `${r.error.name}: ${r.error.message}` : 'ok';
    expect(results).toEqual(Object.fromEntries(files.map((f) => [f, 'ok'])));
  }, 120_000);
});
