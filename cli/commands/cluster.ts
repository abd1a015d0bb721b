import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { Command } from 'commander';
import { CliError, ExitCode } from '../errors.js';
import { type OutputFormat, outputOption, printAs, printTable } from '../output.js';
import { readConfig, upsertListEntry } from '../worker-config-file.js';
import { type ConfigOpt, configOption } from './repo.js';

/** `sluice cluster add NAME`. */
function clusterAddCommand(): Command {
  return configOption(new Command('add'))
    .description(
      'add a destination cluster (served on task queue sluice-cluster-<name>) to the worker config',
    )
    .argument('<name>', 'cluster name Applications use in destination.cluster')
    .requiredOption('--kubeconfig <file>', 'kubeconfig with the credentials to reach it')
    .option('--context <name>', 'context in the kubeconfig (default: its current context)')
    .option('--upsert', 'replace a cluster with the same name')
    .action((name: string, opts: ConfigOpt & { kubeconfig: string; context?: string; upsert?: boolean }) => {
      const file = resolve(opts.kubeconfig);
      if (!existsSync(file))
        throw new CliError(`${opts.kubeconfig}: no such file`, undefined, ExitCode.usage);
      const kc = new KubeConfig();
      try {
        kc.loadFromString(readFileSync(file, 'utf8'));
      } catch (err) {
        throw new CliError(
          `${opts.kubeconfig} is not a kubeconfig: ${(err as Error).message}`,
          undefined,
          ExitCode.usage,
        );
      }
      if (opts.context && !kc.getContextObject(opts.context))
        throw new CliError(
          `${opts.kubeconfig} has no context "${opts.context}"`,
          `contexts: ${
            kc
              .getContexts()
              .map((c) => c.name)
              .join(', ') || 'none'
          }`,
          ExitCode.usage,
        );
      const done = upsertListEntry(
        opts.config,
        'clusters',
        'name',
        { name, kubeconfig: file, ...(opts.context ? { context: opts.context } : {}) },
        { replace: Boolean(opts.upsert) },
      );
      console.log(`cluster ${name} ${done} in ${opts.config}`);
    });
}

/** `sluice cluster list`. */
function clusterListCommand(): Command {
  return configOption(new Command('list'))
    .description('list the destination clusters in the worker config')
    .addOption(outputOption())
    .action((opts: ConfigOpt & { output: OutputFormat }) => {
      const clusters = readConfig(opts.config).clusters;
      printAs(opts.output, clusters, () =>
        printTable(
          ['name', 'kubeconfig', 'context'],
          clusters.map((c) => [c.name, c.kubeconfig ?? '-', c.context ?? '(current)']),
          `no clusters in ${opts.config} (the worker's own cluster is always "in-cluster")`,
        ),
      );
    });
}

/** `sluice cluster add | list`. */
export function clusterCommand(): Command {
  return new Command('cluster')
    .description('destination clusters the worker serves (in its config file)')
    .addCommand(clusterAddCommand())
    .addCommand(clusterListCommand());
}
