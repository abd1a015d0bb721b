import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ActivityOptions, msToNumber } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import type { SluiceActivities } from '../../../activities/index.js';
import * as presets from '../../../workflows/activity-options.js';

// Issue 14, "no stalled steps": a task the server loses (its worker died, the poll response was
// dropped under load) is noticed by the heartbeat timeout, or by start-to-close when there is none.
// Either way it must be retried within seconds, never after minutes.
const LOST_TASK_LIMIT_MS = 30_000;

/** Sample arguments for the presets that are factories (a long wait, so start-to-close is long). */
const factoryArgs: Record<string, unknown[]> = {
  healthWait: ['10 minutes'],
  rolloutReadyWait: [600_000],
  handBackWait: [600_000],
  pipelineStep: ['1 hour', { maximumAttempts: 3 }],
  alertDelivery: [],
  smokeWait: ['5 minutes'],
  rolloutJobCheck: [30 * 60_000],
};

/** Every preset of workflows/activity-options.ts, factories called with their sample arguments. */
function allPresets(): [string, ActivityOptions][] {
  const out: [string, ActivityOptions][] = [];
  for (const [name, value] of Object.entries(presets)) {
    if (name === 'activities') continue; // the proxy builder, not a preset
    if (typeof value === 'function') {
      const args = factoryArgs[name];
      if (!args) throw new Error(`preset factory ${name}: add its sample arguments to factoryArgs`);
      out.push([name, (value as (...a: unknown[]) => ActivityOptions)(...args)]);
    } else if (typeof value === 'object' && value !== null && 'startToCloseTimeout' in value) {
      out.push([name, value as ActivityOptions]);
    }
  }
  return out;
}

type PresetName = keyof typeof presets;

/**
 * Every activity that can run longer than a few seconds: the presets its call sites use, and where
 * the work is done (the function whose body must heartbeat). Keyed by the real activity names, so
 * a renamed activity does not compile here.
 */
const longActivities: Partial<
  Record<keyof SluiceActivities, { presets: PresetName[]; file: string; fn: string }>
> = {
  renderApp: { presets: ['render'], file: 'activities/sync/index.ts', fn: 'renderOnly' },
  compareApp: { presets: ['syncStep'], file: 'activities/sync/compare-app.ts', fn: 'compareApplication' },
  // Render and apply in one step: both halves heartbeat (renderOnly above, applyResources below).
  renderAndApply: { presets: ['render'], file: 'activities/sync/index.ts', fn: 'renderOnly' },
  appLiveState: {
    presets: ['driftCompare'],
    file: 'activities/sync/compare-app.ts',
    fn: 'compareApplication',
  },
  applyResources: { presets: ['syncStep'], file: 'activities/sync/index.ts', fn: 'applyResources' },
  pruneResources: {
    presets: ['syncStep', 'removalCall'],
    file: 'activities/sync/index.ts',
    fn: 'pruneResources',
  },
  resolveSourceRevision: {
    presets: ['appCall'],
    file: 'activities/sync/index.ts',
    fn: 'resolveSourceRevision',
  },
  resolveSources: {
    presets: ['sourcesResolve'],
    file: 'activities/sync/resolve-sources.ts',
    fn: 'resolveSources',
  },
  waitResourcesHealthy: {
    presets: ['healthWait'],
    file: 'activities/sync/health-wait.ts',
    fn: 'waitHealthy',
  },
  resolveRepoRevision: {
    presets: ['gitFetch'],
    file: 'activities/git/pipeline-commit.ts',
    fn: 'resolveRepoRevision',
  },
  loadPipelineCommit: {
    presets: ['gitFetch'],
    file: 'activities/git/pipeline-commit.ts',
    fn: 'loadPipelineCommit',
  },
  pipelineChangedPaths: {
    presets: ['gitChangedPaths'],
    file: 'activities/steps/triggers.ts',
    fn: 'changedPaths',
  },
  waitDeploymentReady: {
    presets: ['rolloutReadyWait', 'handBackWait'],
    file: 'activities/rollout/index.ts',
    fn: 'waitDeploymentReady',
  },
  deleteRolloutObjects: {
    presets: ['removalCall'],
    file: 'activities/rollout/index.ts',
    fn: 'deleteRolloutObjects',
  },
  callWebhook: { presets: ['rolloutCheck'], file: 'activities/webhooks/call-webhook.ts', fn: 'callWebhook' },
  runAnalysis: {
    presets: ['rolloutCheck', 'rolloutJobCheck'],
    file: 'activities/analysis/index.ts',
    fn: 'runAnalysis',
  },
  awaitApplicationEvent: {
    presets: ['appEventWait'],
    file: 'activities/steps/triggers.ts',
    fn: 'awaitApplicationEvent',
  },
  stepSync: { presets: ['pipelineStep'], file: 'activities/steps/app-steps.ts', fn: 'stepSync' },
  stepRolloutWait: {
    presets: ['pipelineStep'],
    file: 'activities/steps/app-steps.ts',
    fn: 'stepRolloutWait',
  },
  stepWebhook: { presets: ['pipelineStep'], file: 'activities/steps/webhook.ts', fn: 'stepWebhook' },
  stepAnalysis: { presets: ['pipelineStep'], file: 'activities/steps/analysis.ts', fn: 'stepAnalysis' },
  stepGitUpdate: { presets: ['pipelineStep'], file: 'activities/steps/git-update.ts', fn: 'stepGitUpdate' },
  waitDeploymentAvailable: {
    presets: ['smokeWait'],
    file: 'activities/kube/deployment-available.ts',
    fn: 'waitDeploymentAvailable',
  },
};

/** The source of function or method `fn` in `file`: from its declaration to its closing brace line. */
function bodyOf(file: string, fn: string): string {
  const lines = readFileSync(join(process.cwd(), file), 'utf8').split('\n');
  const declaration = new RegExp(`^(\\s*)(export )?(async )?(function\\s+)?${fn}\\s*[<(]`);
  const start = lines.findIndex((l) => declaration.test(l));
  if (start < 0) throw new Error(`${file}: no function ${fn}`);
  const indent = (declaration.exec(lines[start] as string) as RegExpExecArray)[1];
  const end = lines.findIndex((l, i) => i > start && new RegExp(`^${indent}}[,;]?\\s*$`).test(l));
  if (end < 0) throw new Error(`${file}: no end of function ${fn}`);
  return lines.slice(start, end + 1).join('\n');
}

const heartbeats = /\b(heartbeat|beat|whileBeating)\(/;

describe('activity timeouts: no stalled steps', () => {
  it.each(allPresets())('preset %s notices a lost task within 30 s', (_name, options) => {
    const silentFor = options.heartbeatTimeout ?? options.startToCloseTimeout;
    expect(silentFor, 'a heartbeat timeout, or a start-to-close timeout').toBeDefined();
    expect(msToNumber(silentFor as NonNullable<typeof silentFor>)).toBeLessThanOrEqual(LOST_TASK_LIMIT_MS);
  });

  it.each(Object.entries(longActivities))('long activity %s has heartbeating presets', (_name, long) => {
    for (const preset of long?.presets ?? []) {
      const options = Object.fromEntries(allPresets())[preset];
      expect(options?.heartbeatTimeout, `preset ${preset}`).toBeDefined();
    }
  });

  it.each(Object.entries(longActivities))('long activity %s heartbeats while it works', (_name, long) => {
    if (!long) return;
    expect(bodyOf(long.file, long.fn)).toMatch(heartbeats);
  });

  it('the source scan finds a function without heartbeats (the check can fail)', () => {
    expect(bodyOf('activities/rollout/index.ts', 'scaleDeployment')).not.toMatch(heartbeats);
    expect(bodyOf('activities/sync/index.ts', 'resourcesHealth')).not.toMatch(heartbeats);
  });
});
