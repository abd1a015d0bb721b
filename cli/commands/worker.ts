import { Runtime } from '@temporalio/worker';
import { Command } from 'commander';
import { CacheDirInUseError } from '../../worker/cache-dir-lock.js';
import { loadWorkerConfig, WorkerConfigError, workerEnvironment } from '../../worker/config.js';
import { KubeUnreachableError } from '../../worker/kube-check.js';
import { createLogger, LOG_LEVELS, type LogLevelName } from '../../worker/logger.js';
import { runWorker } from '../../worker/run-worker.js';
import { installRuntime } from '../../worker/runtime-logger.js';
import { SearchAttributesMissingError } from '../../worker/search-attributes.js';
import { CliError, ExitCode } from '../errors.js';
import { type OutputFormat, outputOption, printAs } from '../output.js';
import { withClient } from '../temporal.js';
import { deploymentVersions, setCurrentVersion } from '../worker-deployment.js';

/** `sluice worker`: runs the Temporal worker, the repository watchers and the webhook receiver. */
export function workerCommand(): Command {
  return new Command('worker')
    .description('run a Sluice worker: workflows and activities, repository watchers, push-webhook receiver')
    .option(
      '-c, --config <file>',
      'worker config (YAML): temporal (address, namespace, tls, apiKeyFile), taskQueue, kubeconfig, cacheDir, secrets, plugins, webhooks, metrics, sdkMetrics, logLevel, shutdownGraceTime, repositories, clusters',
    )
    .option(
      '--log-level <level>',
      `lowest level logged: ${LOG_LEVELS.join(', ')} (default: the config's logLevel, else info)`,
    )
    .addHelpText(
      'after',
      `\nEnvironment (overrides the file): ${workerEnvironment.join(', ')}.\nSecrets come from SLUICE_SECRET_<NAME>_<KEY> variables, then secretsDir/<name>/<key> files (or the \`secrets\` sources).\nWith \`metrics: {port}\` it serves GET /healthz and GET /metrics; SIGTERM drains for shutdownGraceTime (default 30s).`,
    )
    .action(async (opts: { config?: string; logLevel?: string }) => {
      if (opts.logLevel !== undefined && !(LOG_LEVELS as readonly string[]).includes(opts.logLevel))
        throw new CliError(
          `--log-level ${JSON.stringify(opts.logLevel)} is not a level`,
          `use one of ${LOG_LEVELS.join(', ')}`,
          ExitCode.usage,
        );
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
      const level = (opts.logLevel as LogLevelName | undefined) ?? config.logLevel;
      const logger = createLogger(level);
      installRuntime(logger, level, config.sdkMetrics);
      await runWorker(config, logger).catch(async (err: unknown) => {
        // The runtime's log forwarding keeps the process alive: a worker that failed to start must end.
        await Runtime.instance()
          .shutdown()
          .catch(() => undefined);
        if (err instanceof CacheDirInUseError)
          throw new CliError(err.message, 'set cacheDir to a directory of its own', ExitCode.usage);
        if (err instanceof KubeUnreachableError || err instanceof SearchAttributesMissingError)
          throw new CliError(err.message);
        throw err;
      });
    })
    .addCommand(promoteCommand())
    .addCommand(versionsCommand());
}

/** `sluice worker promote <build-id>`: makes a deployment version current (SetWorkerDeploymentCurrentVersion). */
function promoteCommand(): Command {
  return new Command('promote')
    .description(
      'make a worker deployment version current: new workflows and the long-lived ones (AUTO_UPGRADE) move to it; pinned runs stay where they started',
    )
    .argument('<build-id>', 'the build ID the new workers log at start (deploymentVersion)')
    .option('-d, --deployment <name>', "the worker config's deployment.name", 'sluice')
    .action(async (buildId: string, opts: { deployment: string }, cmd: Command) => {
      const previous = await withClient(cmd, (client) => setCurrentVersion(client, opts.deployment, buildId));
      process.stdout.write(
        `${opts.deployment}:${buildId} is current${previous ? ` (was ${previous}); keep ${previous}'s workers until \`sluice worker versions\` shows it with no open pinned runs` : ''}\n`,
      );
    });
}

/** `sluice worker versions`: each version with its drainage and open pinned runs. */
function versionsCommand(): Command {
  return new Command('versions')
    .description(
      "list a worker deployment's versions: which is current, and which still have pinned runs open",
    )
    .option('-d, --deployment <name>', "the worker config's deployment.name", 'sluice')
    .addOption(outputOption())
    .action(async (opts: { deployment: string; output: OutputFormat }, cmd: Command) => {
      const rows = await withClient(cmd, (client) => deploymentVersions(client, opts.deployment));
      printAs(opts.output, rows, () => {
        process.stdout.write('BUILD ID\tCURRENT\tDRAINAGE\tOPEN PINNED RUNS\n');
        for (const r of rows)
          process.stdout.write(
            `${r.buildId}\t${r.current ? 'yes' : ''}\t${r.drainage}\t${r.openPinnedRuns}\n`,
          );
      });
    });
}
