import { Command } from 'commander';
import { loadWorkerConfig } from '../../worker/config.js';
import { runWorker } from '../../worker/run-worker.js';
import { installJsonRuntimeLogger } from '../../worker/runtime-logger.js';

/** `sluice worker`: runs the Temporal worker, the repository watchers and the webhook receiver. */
export function workerCommand(): Command {
  return new Command('worker')
    .description('run a Sluice worker: workflows and activities, repository watchers, push-webhook receiver')
    .option(
      '-c, --config <file>',
      'worker config (YAML): temporal, taskQueue, kubeconfig, cacheDir, secretsDir, webhooks, repositories',
    )
    .addHelpText(
      'after',
      '\nEnvironment: SLUICE_TEMPORAL_ADDRESS, SLUICE_TEMPORAL_NAMESPACE, SLUICE_TASK_QUEUE override the file;\nsecrets come from SLUICE_SECRET_<NAME>_<KEY> variables, then secretsDir/<name>/<key> files.',
    )
    .action(async (opts: { config?: string }) => {
      const config = loadWorkerConfig(opts.config);
      installJsonRuntimeLogger('INFO');
      await runWorker(config);
    });
}
