import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { workflowsPath } from '../../worker/workflows-path.js';
import {
  SluiceApp,
  SluiceKind,
  SluicePhase,
  SluiceRevision,
} from '../../workflows/shared/search-attributes.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** host:port of the Temporal server the workflow tests share. */
    temporalAddress: string;
    /** The workflows bundled once per run; every test worker loads it instead of bundling again. */
    workflowBundlePath: string;
  }
}

// One Temporal server for the whole workflow project: the Temporal CLI the stack builds into the tools
// cache, on ports it picks itself (never the dev stack's 7233/8233), in memory, no UI. The time-skipping
// test server is a separate download this machine cannot reach, so workflows get short durations through
// their inputs instead (docs: README "Testing").
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const temporal = join(loadStackConfig().toolsBin, 'temporal');
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporal },
      searchAttributes: [SluiceApp, SluiceKind, SluiceRevision, SluicePhase],
      // Timers fire within 10 ms instead of up to a second late: the tests' intervals are 100 ms.
      extraArgs: [
        '--log-level',
        'error',
        '--dynamic-config-value',
        'history.timerProcessorMaxTimeShift="10ms"',
      ],
    },
  });
  const started = Date.now();
  const { code } = await bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: quietLogger });
  const dir = mkdtempSync(join(tmpdir(), 'sluice-workflow-bundle-'));
  const bundlePath = join(dir, 'workflows.js');
  writeFileSync(bundlePath, code);
  process.stderr.write(`[workflow tests] bundled the workflows once in ${Date.now() - started} ms\n`);
  project.provide('temporalAddress', env.address);
  project.provide('workflowBundlePath', bundlePath);
  return async () => {
    await env.teardown();
    rmSync(dir, { recursive: true, force: true });
  };
}

const quiet = () => undefined;
const quietLogger = { log: quiet, trace: quiet, debug: quiet, info: quiet, warn: quiet, error: quiet };
