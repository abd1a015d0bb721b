// The application commands that run a sync: sync, diff (a dry run) and rollback.
import { type WorkflowHandle, WorkflowUpdateStage } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { AppResourceDiff } from '../../core/diff/types.js';
import { syncWorkflowId } from '../../core/workflow-ids.js';
import type { SyncRequest } from '../../workflows/application/messages.js';
import { rollbackUpdate, syncUpdate } from '../../workflows/application/messages.js';
import type { SyncResult } from '../../workflows/sync/workflow.js';
import { lookAtApp, progressView } from '../app-progress.js';
import { awaitWithProgress } from '../await-progress.js';
import { CliError, ExitCode } from '../errors.js';
import { durationOption, parseAppName } from '../flags.js';
import { LiveOutput } from '../live-output.js';
import { colour, type OutputFormat, outputOption, printAs, short, statusColour } from '../output.js';
import { withClient } from '../temporal.js';
import { appHandle, appStatus, repoOption, temporalError } from '../workflows.js';

type Out = { output: OutputFormat };
type RepoOpt = { repo?: string };

/** A history ID given on the command line. */
function parseId(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a history ID (1, 2, …)');
  return n;
}

/** One line per sync: what it did and how it ended. */
function printSyncResult(name: string, r: SyncResult): void {
  const what = r.dryRun ? 'dry run' : `sync ${r.id}`;
  console.log(
    `${name}: ${what} of ${short(r.revision)} ${statusColour(r.phase)}, health ${statusColour(r.health)}`,
  );
  if (r.message) console.log(`  ${r.message}`);
  for (const c of r.changed) console.log(`  changed ${c}`);
  for (const p of r.pruned) console.log(`  pruned  ${p}`);
  if (r.dryRun) printDiffs(r.diff ?? [], false);
}

/** Prints each object's status and, unless only a summary is wanted, its unified diff (live → desired). */
function printDiffs(diffs: AppResourceDiff[], full: boolean): void {
  for (const d of diffs) {
    if (d.status === 'Synced') continue;
    const ref = `${d.ref.apiVersion} ${d.ref.kind} ${d.ref.namespace ? `${d.ref.namespace}/` : ''}${d.ref.name}`;
    console.log(`${colour('bold', `===== ${ref}`)} (${d.status})`);
    if (!full) continue;
    for (const line of d.diff.split('\n')) {
      if (line.startsWith('+') && !line.startsWith('+++')) console.log(colour('green', line));
      else if (line.startsWith('-') && !line.startsWith('---')) console.log(colour('red', line));
      else console.log(line);
    }
  }
}

/** How `app sync` / `app rollback` follow their sync: progress on stdout (table output) and a deadline. */
interface Follow {
  timeoutMs?: number;
}

/** Runs a sync update and prints it; exit 1 when the sync failed or (when following) did not end in time. */
async function runSync(
  cmd: Command,
  name: string,
  repo: string | undefined,
  format: OutputFormat,
  run: (h: WorkflowHandle, accepted: () => void) => Promise<SyncResult>,
  rejectedExit: number = ExitCode.failure,
  show: (r: SyncResult) => void = (r) => printSyncResult(name, r),
  follow?: Follow,
): Promise<void> {
  await withClient(cmd, async (client) => {
    const handle = await appHandle(client, name, repo);
    const before = await appStatus(handle, name); // a clear "not found" before the update
    let markAccepted: () => void = () => undefined;
    const accepted = new Promise<void>((r) => {
      markAccepted = r;
    });
    const update = run(handle, markAccepted).catch((err) => {
      throw temporalError(err, `application "${name}"`, rejectedExit);
    });
    // An update that ends (or fails) without saying it was accepted: nothing is left in flight.
    update.then(markAccepted, markAccepted);
    const live = follow && format === 'table' ? new LiveOutput(Boolean(process.stdout.isTTY)) : undefined;
    let syncId: string | undefined;
    const result = await awaitWithProgress(update, {
      accepted,
      ...(follow?.timeoutMs !== undefined ? { timeoutMs: follow.timeoutMs } : {}),
      what: `the sync of ${name}`,
      hint: `it goes on in its workflow: follow it with \`sluice app wait ${name}\` or see \`sluice app get ${name}\``,
      ...(live
        ? {
            tick: async (done?: SyncResult) => {
              // A sync quicker than the first look: its ID from its result, to show what it did.
              if (done && !syncId)
                syncId = syncWorkflowId(before.repoId, before.name, done.revision, done.id);
              const p = await lookAtApp(client, handle, name, syncId);
              syncId = p.sync?.workflowId ?? syncId;
              const view = progressView(p);
              live.show(view.block, view.lines);
            },
          }
        : {}),
    });
    printAs(format, result, () => show(result));
    if (result.phase === 'Failed') process.exitCode = ExitCode.failure;
  });
}

/** `sluice app sync NAME`. */
/** Sends an update and answers its result, telling `accepted` once the workflow has taken it (or refused it). */
function started<A>(
  h: WorkflowHandle,
  def: UpdateDefinition<SyncResult, [A]>,
  arg: A,
  accepted: () => void,
): Promise<SyncResult> {
  const update = h.startUpdate(def, { args: [arg], waitForStage: WorkflowUpdateStage.ACCEPTED });
  update.then(accepted, accepted);
  return update.then((u) => u.result());
}

export function syncCommand(): Command {
  return new Command('sync')
    .description('sync now: render, apply by wave, prune (if asked), wait until healthy; exit 1 if it fails')
    .argument('<name>', 'the application: NAME or REPO/NAME', parseAppName)
    .option(
      '--revision <branch|tag|sha|version>',
      'sync this revision of the source (default: its newest): a branch, tag or commit; a chart version for a chart',
    )
    .option(
      '-c, --config <file>',
      'worker config naming repository credentials (to resolve --revision)',
      './sluice-worker.yaml',
    )
    .option('--prune', 'delete objects no longer in Git (default: the syncPolicy’s)')
    .option('--dry-run', 'show what would change; apply nothing')
    .option(
      '--skip-dependencies',
      'sync now even when Applications in spec.dependsOn are not Synced and Healthy (default: wait for them)',
    )
    .addOption(
      durationOption('--timeout <duration>', 'stop waiting after this long, exit 1 (the sync goes on)'),
    )
    .addOption(repoOption())
    .addOption(outputOption())
    .action(
      async (
        name: string,
        opts: Out &
          RepoOpt & {
            revision?: string;
            config: string;
            prune?: boolean;
            dryRun?: boolean;
            skipDependencies?: boolean;
            timeout?: number;
          },
        cmd: Command,
      ) => {
        const req: SyncRequest = {
          ...(opts.prune ? { prune: true } : {}),
          ...(opts.dryRun ? { dryRun: true } : {}),
          ...(opts.skipDependencies ? { skipDependencies: true } : {}),
        };
        await runSync(
          cmd,
          name,
          opts.repo,
          opts.output,
          async (h, accepted) => {
            const { resolveAppRevision } = await import('../app-manifests.js');
            const revision = opts.revision
              ? await resolveAppRevision(h, opts.revision, opts.config)
              : undefined;
            return started(h, syncUpdate, { ...req, ...(revision ? { revision } : {}) }, accepted);
          },
          ExitCode.usage,
          undefined,
          opts.dryRun ? undefined : { ...(opts.timeout !== undefined ? { timeoutMs: opts.timeout } : {}) },
        );
      },
    );
}

/** `--exit-code [true|false]`: a bare flag is true. */
function parseBool(v: string): boolean {
  if (v === 'true' || v === 'false') return v === 'true';
  throw new InvalidArgumentError('use true or false');
}

type DiffOpts = Out &
  RepoOpt & {
    revision?: string;
    exitCode: boolean;
    local?: string;
    config: string;
    kubeconfig?: string;
    context?: string;
  };

/** `sluice app diff NAME`. */
export function diffCommand(): Command {
  return new Command('diff')
    .description(
      'show the unified diff (live → desired) of each object a sync would change; exit 1 when anything differs',
    )
    .argument('<name>', 'the application: NAME or REPO/NAME', parseAppName)
    .option(
      '--revision <branch|tag|sha|version>',
      'compare with this revision of the source (default: its newest): a branch, tag or commit; a chart version for a chart',
    )
    .option(
      '--local <dir>',
      'compare the live objects with this directory rendered by the Application’s renderer',
    )
    .option(
      '-c, --config <file>',
      'worker config: repository credentials, render policy, kubeconfig',
      './sluice-worker.yaml',
    )
    .option(
      '--kubeconfig <file>',
      'with --local: the cluster to read (default: the worker config’s, else ~/.kube/config)',
    )
    .option('--context <name>', 'with --local: the kubeconfig context')
    .addOption(
      new Option(
        '--exit-code [bool]',
        'exit 1 when there are differences (default true, as `argocd app diff`)',
      )
        .argParser(parseBool)
        .default(true)
        .preset('true'),
    )
    .addOption(new Option('--no-exit-code', 'exit 0 whatever the differences'))
    .addOption(repoOption())
    .addOption(outputOption())
    .addHelpText('after', '\nExit: 0 no differences, 1 differences (or a failure), 2 bad usage.')
    .action(async (name: string, opts: DiffOpts, cmd: Command) => {
      if (opts.local && opts.revision)
        throw new CliError('--local and --revision exclude each other', undefined, ExitCode.usage);
      let diffs: AppResourceDiff[] = [];
      if (opts.local) {
        const dir = opts.local;
        await withClient(cmd, async (client) => {
          const handle = await appHandle(client, name, opts.repo);
          await appStatus(handle, name);
          const { localDiff } = await import('../app-local-diff.js');
          diffs = await localDiff(handle, name, dir, opts);
          const shown = { local: dir, diff: diffs };
          printAs(opts.output, shown, () => {
            if (!diffs.some((d) => d.status !== 'Synced'))
              console.error(`${name}: no differences with ${dir}`);
            printDiffs(diffs, true);
          });
        });
      } else {
        const revision = opts.revision;
        await runSync(
          cmd,
          name,
          opts.repo,
          opts.output,
          async (h) => {
            const { resolveAppRevision } = await import('../app-manifests.js');
            const sha = revision ? await resolveAppRevision(h, revision, opts.config) : undefined;
            const r = await h.executeUpdate(syncUpdate, {
              args: [{ dryRun: true, ...(sha ? { revision: sha } : {}) }],
            });
            diffs = r.diff ?? [];
            return r;
          },
          ExitCode.usage,
          (r) => {
            if (!diffs.some((d) => d.status !== 'Synced'))
              console.error(`${name}: no differences at ${short(r.revision)}`);
            printDiffs(diffs, true);
          },
        );
      }
      const differs = diffs.some((d) => d.status !== 'Synced');
      if (differs && opts.exitCode && !process.exitCode) process.exitCode = ExitCode.failure;
    });
}

/** `sluice app rollback NAME ID`. */
export function rollbackCommand(): Command {
  return new Command('rollback')
    .description('sync to the revision of an earlier history entry; auto-sync then waits for a new commit')
    .argument('<name>', 'the application: NAME or REPO/NAME', parseAppName)
    .argument('<id>', 'history ID (see `sluice app history`)', parseId)
    .addOption(
      durationOption('--timeout <duration>', 'stop waiting after this long, exit 1 (the sync goes on)'),
    )
    .addOption(repoOption())
    .addOption(outputOption())
    .action(async (name: string, id: number, opts: Out & RepoOpt & { timeout?: number }, cmd: Command) =>
      runSync(
        cmd,
        name,
        opts.repo,
        opts.output,
        (h, accepted) => started(h, rollbackUpdate, { id }, accepted),
        ExitCode.usage,
        undefined,
        opts.timeout !== undefined ? { timeoutMs: opts.timeout } : {},
      ),
    );
}
