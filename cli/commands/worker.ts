import { Command } from 'commander';
import { loadWorkerConfig, WorkerConfigError, workerEnvironment } from '../../worker/config.js';
import { runWorker } from '../../worker/run-worker.js';
import { installJsonRuntimeLogger } from '../../worker/runtime-logger.js';
import { CliError, ExitCode } from '../errors.js';

/** `sluice worker`: runs the Temporal worker, the repository watchers and the webhook receiver. */
export function workerCommand(): Command {
  return new Command('worker')
    .description('run a Sluice worker: workflows and activities, repository watchers, push-webhook receiver')
    .option(
      '-c, --config <file>',
      'worker config (YAML): temporal (address, namespace, tls, apiKeyFile), taskQueue, kubeconfig, cacheDir, secrets, plugins, webhooks, metrics, shutdownGraceTime, repositories, clusters',
    )
    .addHelpText(
      'after',
      `\nEnvironment (overrides the file): ${workerEnvironment.join(', ')}.\nSecrets come from SLUICE_SECRET_<NAME>_<KEY> variables, then secretsDir/<name>/<key> files (or the \`secrets\` sources).\nWith \`metrics: {port}\` it serves GET /healthz and GET /metrics; SIGTERM drains for shutdownGraceTime (default 30s).`,
    )
    .action(async (opts: { config?: string }) => {
      const config = (() => {
        try {
          return loadWorkerConfig(opts.config);
        } catch (err) {
          if (!(err instanceof WorkerConfigError)) throw err;
          throw new CliError(
            err.message,
            'fix the worker config (or the SLUICE_* variable the message names)',
            ExitCode.usage,
          );
        }
      })();
      installJsonRuntimeLogger('INFO');
      await runWorker(config);
    });
}
