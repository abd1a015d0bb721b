// `sluice version`: this client's version and, when Temporal answers, the server's and every worker's that
// polls the task queue (read from the worker identities, which carry `sluice/<version>`; worker/identity.ts).
import { Command, Option } from 'commander';
import { packageVersion } from '../../scripts/stack/project-root.js';
import { identityVersion } from '../../worker/identity.js';
import { reportError } from '../errors.js';
import { isoTime, type OutputFormat, outputOption, printAs, printFields, printTable } from '../output.js';
import { withClient } from '../temporal.js';

/** One worker seen polling the task queue. */
export interface WorkerPoller {
  identity: string;
  /** Sluice's version from the identity, or undefined when the identity does not say (a custom identity). */
  version?: string;
  /** The worker deployment build ID it declared, when versioned. */
  buildId?: string;
  /** workflow, activity or both. */
  polls: string[];
  lastPoll?: string;
}

/** What `sluice version` reports. */
export interface VersionReport {
  client: { version: string; node: string };
  server?: { address: string; version?: string };
  taskQueue?: string;
  workers?: WorkerPoller[];
}

// temporal.api.enums.v1 values (TaskQueueType WORKFLOW = 1, ACTIVITY = 2; TaskQueueKind NORMAL = 1), written
// out because @temporalio/proto is not one of our direct dependencies.
const TASK_QUEUE_TYPE = { workflow: 1, activity: 2 } as const;
const TASK_QUEUE_KIND_NORMAL = 1;

/** `sluice version`. */
export function versionCommand(): Command {
  return new Command('version')
    .description('show this client’s version and, when Temporal answers, the server’s and the workers’')
    .option('--client', 'only the client’s version (do not contact Temporal)')
    .addOption(
      new Option('--task-queue <name>', 'the workers’ task queue').env('SLUICE_TASK_QUEUE').default('sluice'),
    )
    .addOption(outputOption())
    .addHelpText(
      'after',
      '\nExit: 0, or 1 when Temporal cannot be reached (the client version is printed first).',
    )
    .action(async (opts: { client?: boolean; taskQueue: string; output: OutputFormat }, cmd: Command) => {
      const report: VersionReport = { client: { version: packageVersion(), node: process.version } };
      let failure: unknown;
      if (!opts.client)
        await withClient(cmd, async (client) => {
          const service = client.connection.workflowService;
          const info = await service.getSystemInfo({});
          const address = cmd.optsWithGlobals<{ temporalAddress: string }>().temporalAddress;
          report.server = { address, ...(info.serverVersion ? { version: info.serverVersion } : {}) };
          report.taskQueue = opts.taskQueue;
          report.workers = await pollers(
            client.connection.workflowService,
            client.options.namespace,
            opts.taskQueue,
          );
        }).catch((err) => {
          failure = err;
        });
      printAs(opts.output, report, () => printReport(report));
      if (failure !== undefined) process.exitCode = reportError(failure);
    });
}

type Service = Parameters<Parameters<typeof withClient>[1]>[0]['connection']['workflowService'];

/** The workers polling the queue for workflow and activity tasks, one row per identity. */
async function pollers(service: Service, namespace: string, taskQueue: string): Promise<WorkerPoller[]> {
  const byIdentity = new Map<string, WorkerPoller>();
  for (const [word, type] of Object.entries(TASK_QUEUE_TYPE)) {
    const answer = await service.describeTaskQueue({
      namespace,
      taskQueue: { name: taskQueue, kind: TASK_QUEUE_KIND_NORMAL },
      taskQueueType: type,
    });
    for (const p of answer.pollers ?? []) {
      const identity = p.identity ?? '';
      const row = byIdentity.get(identity) ?? { identity, polls: [] };
      const version = identityVersion(identity);
      const buildId = p.deploymentOptions?.buildId || p.workerVersionCapabilities?.buildId || undefined;
      const seconds = p.lastAccessTime?.seconds;
      byIdentity.set(identity, {
        ...row,
        ...(version ? { version } : {}),
        ...(buildId ? { buildId } : {}),
        polls: [...row.polls, word],
        ...(seconds !== undefined && seconds !== null ? { lastPoll: isoTime(Number(seconds) * 1000) } : {}),
      });
    }
  }
  return [...byIdentity.values()].sort((a, b) => a.identity.localeCompare(b.identity));
}

function printReport(r: VersionReport): void {
  printFields([
    ['Client', `sluice ${r.client.version} (node ${r.client.node})`],
    ['Temporal', r.server ? `${r.server.version ?? 'unknown version'} at ${r.server.address}` : undefined],
    ['Task queue', r.taskQueue],
  ]);
  if (!r.workers) return;
  console.log('');
  printTable(
    ['worker', 'version', 'build id', 'polls', 'last poll'],
    r.workers.map((w) => [
      w.identity,
      w.version ?? 'unknown',
      w.buildId ?? '-',
      w.polls.join('+'),
      w.lastPoll ?? '-',
    ]),
    `no worker polls task queue "${r.taskQueue}" (workers: \`sluice worker\`; another queue: --task-queue)`,
  );
}
