import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { noopMetricMeter } from '@temporalio/common';
import { DefaultLogger } from '@temporalio/worker';
// The SDK's own option compiler (what Worker.create runs before it talks to the server): the test checks what
// the SDK makes of our options, not what we hope it makes of them.
import { compileWorkerOptions } from '@temporalio/worker/lib/worker-options.js';
import { describe, expect, it } from 'vitest';
import { loadWorkerConfig } from '../../../worker/config.js';
import { effectiveTuning, tuningOptions, tuningProblems, type WorkerTuning } from '../../../worker/tuning.js';

function file(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'sluice-tuning-')), 'worker.yaml');
  writeFileSync(path, content);
  return path;
}

/** The options the SDK compiles from a tuning block, with the SDK's defaults filled in. */
function compiled(t: WorkerTuning, runsWorkflows = true) {
  return compileWorkerOptions(
    { taskQueue: 'q', identity: 'w-1', ...tuningOptions(t, runsWorkflows) },
    new DefaultLogger('ERROR'),
    noopMetricMeter,
  );
}

describe('worker config: identity and tuning', () => {
  it('has no identity and an empty tuning block by default (the SDK decides)', () => {
    const c = loadWorkerConfig(file('taskQueue: q\n'), {});
    expect(c.identity).toBeUndefined();
    expect(c.tuning).toEqual({});
  });

  it('reads identity from the file, and SLUICE_WORKER_IDENTITY wins over it', () => {
    expect(loadWorkerConfig(file('identity: sluice-0\n'), {}).identity).toBe('sluice-0');
    expect(loadWorkerConfig(file('identity: sluice-0\n'), { SLUICE_WORKER_IDENTITY: 'pod-7' }).identity).toBe(
      'pod-7',
    );
    expect(() => loadWorkerConfig(file('identity: ""\n'), {})).toThrow(/identity/);
  });

  it('reads every knob, fixed or autoscaling pollers', () => {
    const c = loadWorkerConfig(
      file(
        [
          'tuning:',
          '  maxConcurrentActivityTaskExecutions: 200',
          '  maxConcurrentWorkflowTaskExecutions: 80',
          '  maxCachedWorkflows: 2000',
          '  workflowTaskPollers: 40',
          '  activityTaskPollers: {autoscaling: {minimum: 2, initial: 4, maximum: 50}}',
          '',
        ].join('\n'),
      ),
      {},
    );
    expect(c.tuning).toEqual({
      maxConcurrentActivityTaskExecutions: 200,
      maxConcurrentWorkflowTaskExecutions: 80,
      maxCachedWorkflows: 2000,
      workflowTaskPollers: 40,
      activityTaskPollers: { autoscaling: { minimum: 2, initial: 4, maximum: 50 } },
    });
  });

  it.each([
    ['tuning: {maxConcurrentActivityTaskExecutions: 0}', /maxConcurrentActivityTaskExecutions/],
    ['tuning: {maxCachedWorkflows: -1}', /maxCachedWorkflows/],
    ['tuning: {workflowTaskPollers: 2.5}', /workflowTaskPollers/],
    ['tuning: {activityTaskPollers: {autoscaling: {max: 3}}}', /activityTaskPollers/],
    ['tuning: {maxConcurrentActivityTaskPolls: 4}', /maxConcurrentActivityTaskPolls/],
  ])('refuses a knob of the wrong type or range: %s', (yaml, field) => {
    expect(() => loadWorkerConfig(file(`${yaml}\n`), {})).toThrow(field);
  });

  it.each([
    [{ maxCachedWorkflows: 1 }, /maxCachedWorkflows is 1/],
    [{ maxConcurrentWorkflowTaskExecutions: 1 }, /must be 2 or more while workflows are cached/],
    [
      { maxCachedWorkflows: 10, maxConcurrentWorkflowTaskExecutions: 20 },
      /\(20\) is more than maxCachedWorkflows \(10\)/,
    ],
    [{ maxCachedWorkflows: 10 }, /\(40\) is more than maxCachedWorkflows \(10\)/],
    [{ workflowTaskPollers: 1 }, /workflowTaskPollers is 1/],
    [{ activityTaskPollers: 101 }, /activityTaskPollers \(101\) is more than the 100 task slots/],
    [{ maxConcurrentWorkflowTaskExecutions: 8, workflowTaskPollers: 9 }, /more than the 8 task slots/],
    [
      { activityTaskPollers: { autoscaling: { minimum: 5, maximum: 2 } } },
      /minimum \(5\) is above maximum \(2\)/,
    ],
    [{ workflowTaskPollers: { autoscaling: { maximum: 3 } } }, /initial \(5\) is not between/],
  ] as [WorkerTuning, RegExp][])('refuses knobs that contradict each other: %j', (tuning, reason) => {
    expect(tuningProblems(tuning).join('\n')).toMatch(reason);
  });

  it('names the file and every contradiction in one error', () => {
    const path = file('tuning: {maxCachedWorkflows: 1, workflowTaskPollers: 1}\n');
    expect(() => loadWorkerConfig(path, {})).toThrow(
      new RegExp(`${path}: tuning:\\n  maxCachedWorkflows is 1.*\\n  workflowTaskPollers is 1`),
    );
  });

  it('accepts a workflow cache turned off, with a single workflow task slot', () => {
    expect(tuningProblems({ maxCachedWorkflows: 0, maxConcurrentWorkflowTaskExecutions: 1 })).toEqual([]);
  });
});

describe('tuningOptions: what the SDK runs with', () => {
  it('keeps the SDK defaults when nothing is tuned: 100 activity slots, 40 workflow slots, 10 pollers each', () => {
    expect(tuningOptions({}, true)).toEqual({});
    const e = effectiveTuning(compiled({}), true);
    expect(e).toMatchObject({
      identity: 'w-1',
      maxConcurrentActivityTaskExecutions: 100,
      activityTaskPollers: 10,
      maxConcurrentWorkflowTaskExecutions: 40,
      workflowTaskPollers: 10,
    });
    expect(e.maxCachedWorkflows).toBeGreaterThanOrEqual(10);
  });

  it('passes every knob through, pollers as the SDK 1.24 poller behaviours', () => {
    const e = effectiveTuning(
      compiled({
        maxConcurrentActivityTaskExecutions: 7,
        maxConcurrentWorkflowTaskExecutions: 6,
        maxCachedWorkflows: 50,
        workflowThreadPoolSize: 2,
        workflowTaskPollers: 3,
        activityTaskPollers: { autoscaling: { minimum: 2, initial: 3, maximum: 7 } },
      }),
      true,
    );
    expect(e).toEqual({
      identity: 'w-1',
      maxConcurrentActivityTaskExecutions: 7,
      activityTaskPollers: { autoscaling: { minimum: 2, initial: 3, maximum: 7 } },
      maxConcurrentWorkflowTaskExecutions: 6,
      maxCachedWorkflows: 50,
      workflowThreadPoolSize: 2,
      workflowTaskPollers: 3,
    });
  });

  it('gives an activity-only worker (a cluster task queue) the activity knobs only', () => {
    const t: WorkerTuning = {
      maxConcurrentActivityTaskExecutions: 12,
      activityTaskPollers: 4,
      maxConcurrentWorkflowTaskExecutions: 6,
      maxCachedWorkflows: 50,
      workflowThreadPoolSize: 2,
      workflowTaskPollers: 3,
    };
    expect(tuningOptions(t, false)).toEqual({
      maxConcurrentActivityTaskExecutions: 12,
      activityTaskPollerBehavior: { type: 'simple-maximum', maximum: 4 },
    });
    expect(effectiveTuning(compiled(t, false), false)).toEqual({
      identity: 'w-1',
      maxConcurrentActivityTaskExecutions: 12,
      activityTaskPollers: 4,
    });
  });
});
