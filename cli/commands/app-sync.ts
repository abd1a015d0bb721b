// The application commands that run a sync: sync, diff (a dry run) and rollback.
import { Command, InvalidArgumentError } from 'commander';
import type { SyncRequest } from '../../workflows/application/messages.js';
import { rollbackUpdate, syncUpdate } from '../../workflows/application/messages.js';
import type { SyncResult } from '../../workflows/sync/workflow.js';
import { ExitCode } from '../errors.js';
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
  if (r.dryRun) printDiffs(r, false);
}

/** Prints each object's status and, unless only a summary is wanted, its unified diff (live → desired). */
function printDiffs(r: SyncResult, full: boolean): void {
  for (const d of r.diff ?? []) {
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

/** Runs a sync update and prints it; exit 1 when the sync failed. */
async function runSync(
  cmd: Command,
  name: string,
  repo: string | undefined,
  format: OutputFormat,
  run: (h: Awaited<ReturnType<typeof appHandle>>) => Promise<SyncResult>,
  rejectedExit: number = ExitCode.failure,
  show: (r: SyncResult) => void = (r) => printSyncResult(name, r),
): Promise<void> {
  await withClient(cmd, async (client) => {
    const handle = await appHandle(client, name, repo);
    await appStatus(handle, name); // a clear "not found" before the update
    const result = await run(handle).catch((err) => {
      throw temporalError(err, `application "${name}"`, rejectedExit);
    });
    printAs(format, result, () => show(result));
    if (result.phase === 'Failed') process.exitCode = ExitCode.failure;
  });
}

/** `sluice app sync NAME`. */
export function syncCommand(): Command {
  return new Command('sync')
    .description('sync now: render, apply by wave, prune (if asked), wait until healthy; exit 1 if it fails')
    .argument('<name>')
    .option('--revision <sha>', 'full commit SHA to sync (default: the newest commit of the source)')
    .option('--prune', 'delete objects no longer in Git (default: the syncPolicy’s)')
    .option('--dry-run', 'show what would change; apply nothing')
    .addOption(repoOption())
    .addOption(outputOption())
    .action(
      async (
        name: string,
        opts: Out & RepoOpt & { revision?: string; prune?: boolean; dryRun?: boolean },
        cmd: Command,
      ) => {
        const req: SyncRequest = {
          ...(opts.revision ? { revision: opts.revision } : {}),
          ...(opts.prune ? { prune: true } : {}),
          ...(opts.dryRun ? { dryRun: true } : {}),
        };
        await runSync(
          cmd,
          name,
          opts.repo,
          opts.output,
          (h) => h.executeUpdate(syncUpdate, { args: [req] }),
          ExitCode.usage,
        );
      },
    );
}

/** `sluice app diff NAME`. */
export function diffCommand(): Command {
  return new Command('diff')
    .description('show the unified diff (live → desired) of each object a sync would change')
    .argument('<name>')
    .option('--revision <sha>', 'full commit SHA to compare with (default: the newest commit of the source)')
    .option('--exit-code', 'exit 1 when there are differences (as `git diff --exit-code`)')
    .addOption(repoOption())
    .addOption(outputOption())
    .action(
      async (name: string, opts: Out & RepoOpt & { revision?: string; exitCode?: boolean }, cmd: Command) => {
        const req: SyncRequest = { dryRun: true, ...(opts.revision ? { revision: opts.revision } : {}) };
        let differs = false;
        await runSync(
          cmd,
          name,
          opts.repo,
          opts.output,
          async (h) => {
            const r = await h.executeUpdate(syncUpdate, { args: [req] });
            differs = (r.diff ?? []).some((d) => d.status !== 'Synced');
            return r;
          },
          ExitCode.usage,
          (r) => {
            if (!differs) console.error(`${name}: no differences at ${short(r.revision)}`);
            printDiffs(r, true);
          },
        );
        if (differs && opts.exitCode && !process.exitCode) process.exitCode = ExitCode.failure;
      },
    );
}

/** `sluice app rollback NAME ID`. */
export function rollbackCommand(): Command {
  return new Command('rollback')
    .description('sync to the revision of an earlier history entry; auto-sync then waits for a new commit')
    .argument('<name>')
    .argument('<id>', 'history ID (see `sluice app history`)', parseId)
    .addOption(repoOption())
    .addOption(outputOption())
    .action(async (name: string, id: number, opts: Out & RepoOpt, cmd: Command) =>
      runSync(
        cmd,
        name,
        opts.repo,
        opts.output,
        (h) => h.executeUpdate(rollbackUpdate, { args: [{ id }] }),
        ExitCode.usage,
      ),
    );
}
