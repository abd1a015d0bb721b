import { Command, Option } from 'commander';
import { loadStackConfig, portEnvName, stackDefaults } from '../../scripts/stack/config.js';
import { stackDown, stackStatus, stackUp } from '../../scripts/stack/index.js';
import { CliError } from '../errors.js';
import { mark, parseOutputFormat, printStructured, progressLine } from '../output.js';

/** Prints the status table, or JSON/YAML; exits 1 when a component is down. */
async function printStatus(format: string): Promise<void> {
  const status = await stackStatus(loadStackConfig());
  const fmt = parseOutputFormat(format);
  if (fmt !== 'table') printStructured(status, fmt);
  else {
    const rows = [
      ['temporal', `${status.temporal.address}  ui ${status.temporal.ui}`, status.temporal.healthy],
      [
        'kubernetes',
        `${status.kubernetes.kubeconfig}  (${status.kubernetes.nodes} Ready nodes, controller ${status.kubernetes.controller ?? 'down'})`,
        status.kubernetes.healthy,
      ],
      ['prometheus', status.prometheus.url, status.prometheus.healthy],
      ['git', status.git.url, status.git.healthy],
    ] as const;
    for (const [name, endpoint, ok] of rows)
      console.log(`${name.padEnd(11)} ${mark(ok).padEnd(8)} ${endpoint}`);
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
      'run the local stack: Temporal dev server + UI, Kubernetes with kwok nodes, Prometheus, Git over HTTP',
    )
    .addHelpText(
      'after',
      `\nEnvironment:\n  SLUICE_DATA_DIR   data, logs and kubeconfig (default ~/.local/state/sluice/dev)\n  SLUICE_TOOLS_DIR  tool cache (default ~/.cache/sluice/tools)\nPorts (defaults):\n${portHelp}`,
    );
  dev
    .command('up')
    .description('start every component not yet running and wait until each answers')
    .option(
      '--fast-controller',
      'run kube-controller-manager with --kube-api-qps 500 --kube-api-burst 1000 and 50 Deployment/ReplicaSet syncs at once (restarts it if it runs with its defaults)',
    )
    .option(
      '--no-fast-controller',
      'run kube-controller-manager with its defaults (restarts it if it runs fast)',
    )
    .action(async (opts: { fastController?: boolean }) => {
      const config = loadStackConfig();
      const controller =
        opts.fastController === undefined ? undefined : opts.fastController ? 'fast' : 'default';
      await stackUp(config, progressLine, controller ? { controller } : {});
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
