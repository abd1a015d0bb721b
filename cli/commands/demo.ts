import { Command } from 'commander';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { stackUp } from '../../scripts/stack/index.js';
import { runSmoke } from '../../scripts/stack/smoke.js';
import { installJsonRuntimeLogger } from '../../worker/runtime-logger.js';
import { CliError, causeChain } from '../errors.js';
import { progressLine } from '../output.js';

/** `sluice demo`: brings the stack up and runs the smoke workflow through it, printing its Temporal UI link. */
export function demoCommand(): Command {
  return new Command('demo')
    .description('start the local stack and run a deployment through a Temporal workflow')
    .option('--replicas <n>', 'replicas of the demo Deployment', '3')
    .action(async (opts: { replicas: string }) => {
      installJsonRuntimeLogger('WARN');
      const config = loadStackConfig();
      await stackUp(config, progressLine);
      const runId = Date.now().toString(36);
      progressLine(
        `demo: applying Deployment demo (replicas ${opts.replicas}) through workflow smoke/demo/${runId}`,
      );
      const run = await runSmoke(config, { name: 'demo', replicas: Number(opts.replicas), runId });
      if (run.error) {
        throw new CliError(
          `workflow ${run.workflowId} failed: ${causeChain(run.error)}`,
          `open ${run.uiLink}`,
        );
      }
      console.log(
        `Deployment sluice-smoke/demo is Available: ${run.result?.readyReplicas}/${opts.replicas} replicas ready`,
      );
      console.log(`Temporal UI: ${run.uiLink}`);
    });
}
