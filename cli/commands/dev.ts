import { Command, Option } from 'commander';
import {
  loadStackConfig,
  parseTemporalMode,
  portEnvName,
  stackDefaults,
  temporalModes,
} from '../../scripts/stack/config.js';
import { stackDown, stackStatus, stackUp } from '../../scripts/stack/index.js';
import { TemporalModeConflict } from '../../scripts/stack/temporal-mode.js';
import { CliError } from '../errors.js';
import { mark, parseOutputFormat, printStructured, progressLine } from '../output.js';

/** Prints the status table, or JSON/YAML; exits 1 when a component is down. */
async function printStatus(format: string): Promise<void> {
  const status = await stackStatus(loadStackConfig());
  const fmt = parseOutputFormat(format);
  if (fmt !== 'table') printStructured(status, fmt);
  else {
    const t = status.temporal;
    const what = t.mode === 'postgres' ? `server on PostgreSQL ${t.postgres?.address}` : 'dev server';
    const rows = [
      ['temporal', `${t.address}  ui ${t.ui}  (${what})`, t.healthy],
      [
        'kubernetes',
        `${status.kubernetes.kubeconfig}  (${status.kubernetes.nodes} Ready nodes, controller ${status.kubernetes.controller ?? 'down'})`,
        status.kubernetes.healthy,
      ],
      ['prometheus', status.prometheus.url, status.prometheus.healthy],
      ['git', status.git.url, status.git.healthy],
      [
        'registry',
        `${status.registry.ociUrl}  ca ${status.registry.caFile}  credentials ${status.registry.credentialsFile}`,
        status.registry.healthy,
      ],
      [
        'chart-repo',
        `${status.chartRepo.url}  ca ${status.chartRepo.caFile}  credentials ${status.chartRepo.credentialsFile}`,
        status.chartRepo.healthy,
      ],
      [
        'token-registry',
        `${status.tokenRegistry.ociUrl}  token ${status.tokenRegistry.realm}  credentials ${status.tokenRegistry.credentialsFile}`,
        status.tokenRegistry.healthy,
      ],
    ] as const;
    for (const [name, endpoint, ok] of rows)
      console.log(`${name.padEnd(14)} ${mark(ok).padEnd(8)} ${endpoint}`);
  }
  if (!Object.values(status).every((c) => c.healthy)) process.exitCode = 1;
}

const portHelp = Object.entries(stackDefaults.ports)
  .map(([k, v]) => `  ${portEnvName(k as keyof typeof stackDefaults.ports)}=${v}`)
  .join('\n');

/** `sluice dev up | down | status`: the local stack of real servers. */
export function devCommand(): Command {
  const dev = new Command('dev')
    .description(
      'run the local stack: Temporal dev server + UI, Kubernetes with kwok nodes, Prometheus, Git over HTTP, an OCI registry (basic auth), a second one with token auth, and a Helm chart repository',
    )
    .addHelpText(
      'after',
      `\nEnvironment:\n  SLUICE_DATA_DIR   data, logs and kubeconfig (default ~/.local/state/sluice/dev)\n  SLUICE_TOOLS_DIR  tool cache (default ~/.cache/sluice/tools)\n  SLUICE_TEMPORAL   dev (default) or postgres, as \`up --temporal\`\nPorts (defaults):\n${portHelp}`,
    );
  dev
    .command('up')
    .description('start every component not yet running and wait until each answers')
    .addOption(
      new Option(
        '--temporal <mode>',
        'dev: the Temporal CLI dev server (SQLite); postgres: the Temporal server on PostgreSQL, 8 history shards (builds it on first use, ~10 min)',
      )
        .choices([...temporalModes])
        .env('SLUICE_TEMPORAL'),
    )
    .option(
      '--fast-controller',
      'run kube-controller-manager with --kube-api-qps 500 --kube-api-burst 1000 and 50 Deployment/ReplicaSet syncs at once (restarts it if it runs with its defaults)',
    )
    .option(
      '--no-fast-controller',
      'run kube-controller-manager with its defaults (restarts it if it runs fast)',
    )
    .action(async (opts: { temporal?: string; fastController?: boolean }) => {
      const config = loadStackConfig();
      if (opts.temporal) config.temporal = parseTemporalMode(opts.temporal, '--temporal');
      const controller =
        opts.fastController === undefined ? undefined : opts.fastController ? 'fast' : 'default';
      try {
        await stackUp(config, progressLine, controller ? { controller } : {});
      } catch (err) {
        if (err instanceof TemporalModeConflict) throw new CliError(err.message);
        throw err;
      }
      await printStatus('table');
      if (process.exitCode)
        throw new CliError(
          'a component is not healthy',
          'see `sluice dev status` and the logs in the data dir',
        );
    });
  dev
    .command('down')
    .description('stop what `up` started (by pid); data is kept unless --purge')
    .option('--purge', 'also delete the data directory')
    .action(async (opts: { purge?: boolean }) => {
      await stackDown(loadStackConfig(), progressLine, opts);
    });
  dev
    .command('status')
    .description('print each component, its endpoint and whether it answers (exit 1 if one does not)')
    .addOption(new Option('-o, --output <format>', 'table, json or yaml').default('table'))
    .action(async (opts: { output: string }) => printStatus(opts.output));
  return dev;
}
