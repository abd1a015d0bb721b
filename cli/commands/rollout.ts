import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { Command } from 'commander';
import {
  abortUpdate,
  isTerminal,
  pauseUpdate,
  promoteUpdate,
  type RolloutStatus,
  resumeUpdate,
} from '../../workflows/rollout/messages.js';
import { SluiceApp, SluicePhase, SluiceRevision } from '../../workflows/shared/search-attributes.js';
import { type ApprovalOpts, approvalOptions, approvalRequest } from '../approval.js';
import { CliError, ExitCode } from '../errors.js';
import { durationOption, parseAppNameOnly, parsePositiveInt, parseRolloutTarget } from '../flags.js';
import {
  isoTime,
  type OutputFormat,
  outputOption,
  printAs,
  printTable,
  short,
  statusColour,
} from '../output.js';
import { printRollout, type RolloutView, rolloutLine, rolloutLines } from '../rollout-view.js';
import { withClient } from '../temporal.js';
import { terminalCode } from '../terminal.js';
import { currentRolloutId, kindQuery, repoOption, rolloutState, temporalError } from '../workflows.js';
import { retryCommand } from './rollout-retry.js';

type Out = { output: OutputFormat };
type RepoOpt = { repo?: string };

const nameArg = (c: Command) =>
  c
    .argument(
      '<name>',
      'application NAME or REPO/NAME (its current rollout), or a rollout workflow ID rollout/…',
      parseRolloutTarget,
    )
    .addOption(repoOption());

async function view(client: Client, name: string, repo?: string): Promise<RolloutView> {
  const workflowId = await currentRolloutId(client, name, repo);
  return { ...(await rolloutState(client, workflowId)), workflowId };
}

/** RUNNING → Running, TIMED_OUT → TimedOut. */
const titleCase = (s: string) =>
  s
    .toLowerCase()
    .split('_')
    .map((w) => (w[0]?.toUpperCase() ?? '') + w.slice(1))
    .join('');

/** Exit code for a rollout that ended: 0 promoted or initialised, 1 rolled back or superseded. */
function endCode(s: RolloutStatus): number {
  return s.phase === 'Failed' || s.phase === 'Superseded' ? ExitCode.failure : ExitCode.ok;
}

/** `sluice rollout list`. */
function listCommand(): Command {
  return new Command('list')
    .description('list rollouts, newest first, with their phase')
    .option('--app <name>', 'only this application’s', parseAppNameOnly)
    .option('--running', 'only running ones')
    .option('--limit <n>', 'at most this many', parsePositiveInt, 50)
    .addOption(outputOption())
    .action(async (opts: Out & { app?: string; running?: boolean; limit: number }, cmd: Command) =>
      withClient(cmd, async (client) => {
        const rows: Record<string, string | undefined>[] = [];
        const query = kindQuery('rollout', { app: opts.app, running: opts.running });
        for await (const wf of client.workflow.list({ query })) {
          rows.push({
            app: wf.typedSearchAttributes.get(SluiceApp),
            workflowId: wf.workflowId,
            revision: wf.typedSearchAttributes.get(SluiceRevision),
            phase: wf.typedSearchAttributes.get(SluicePhase),
            status: wf.status.name,
            startTime: isoTime(wf.startTime),
            closeTime: wf.closeTime ? isoTime(wf.closeTime) : undefined,
          });
          if (rows.length >= opts.limit) break;
        }
        printAs(opts.output, rows, () =>
          printTable(
            ['app', 'workflow', 'revision', 'phase', 'status', 'started'],
            rows.map((r) => [
              r.app ?? '-',
              r.workflowId ?? '',
              short(r.revision),
              statusColour(r.phase ?? '-'),
              statusColour(titleCase(r.status ?? '')),
              r.startTime ?? '',
            ]),
            'no rollouts',
          ),
        );
      }),
    );
}

/** `sluice rollout get NAME`. */
function getCommand(): Command {
  return nameArg(new Command('get'))
    .description('show a rollout: phase, step, weights, failed checks against the threshold, last verdict')
    .addOption(outputOption())
    .action(async (name: string, opts: Out & RepoOpt, cmd: Command) =>
      withClient(cmd, async (client) => {
        const s = await view(client, name, opts.repo);
        printAs(opts.output, s, () => printRollout(s));
      }),
    );
}

/** `sluice rollout watch NAME`. */
function watchCommand(): Command {
  return nameArg(new Command('watch'))
    .description(
      'follow a rollout until it ends (redrawn in place on a terminal, a line per change otherwise); exit 1 if it fails',
    )
    .addOption(durationOption('--interval <duration>', 'how often to look (e.g. 500ms, 2s)', '1s'))
    .addOption(outputOption())
    .action(async (name: string, opts: Out & RepoOpt & { interval: number }, cmd: Command) =>
      withClient(cmd, async (client) => {
        const workflowId = await currentRolloutId(client, name, opts.repo);
        const tty = Boolean(process.stdout.isTTY) && opts.output === 'table';
        let last = '';
        let drawn = 0;
        for (;;) {
          const s: RolloutView = { ...(await rolloutState(client, workflowId)), workflowId };
          const key = JSON.stringify(s);
          if (key !== last) {
            last = key;
            if (opts.output !== 'table') process.stdout.write(`${JSON.stringify(s)}\n`);
            else if (!tty) console.log(`${new Date().toISOString()}  ${rolloutLine(s)}`);
            else {
              // Move up over the previous block and clear it, then draw the new one.
              if (drawn) process.stdout.write(terminalCode(`[${drawn}A`) + terminalCode('[J'));
              printRollout(s);
              drawn = rolloutLines(s).filter((l) => l[1] !== undefined && l[1] !== '').length;
            }
          }
          if (isTerminal(s.phase)) {
            process.exitCode = endCode(s);
            if (s.phase === 'Superseded')
              process.stderr.write(
                'hint: a newer revision superseded it; watch the application’s new rollout\n',
              );
            return;
          }
          await new Promise((r) => setTimeout(r, opts.interval));
        }
      }),
    );
}

/** Adds --by, --key and --ttl to a gate command (promote, resume). */
const withApproval = (c: Command): Command => approvalOptions().reduce((cmd, o) => cmd.addOption(o), c);

/** One of the rollout's updates (promote, abort, pause, resume), printing the state it answers. */
function updateCommand(
  name: 'promote' | 'abort' | 'pause' | 'resume',
  description: string,
  run: (
    h: ReturnType<Client['workflow']['getHandle']>,
    opts: { reason?: string } & ApprovalOpts,
  ) => Promise<RolloutStatus>,
  exitFor: (s: RolloutStatus) => number,
): Command {
  return nameArg(new Command(name))
    .description(description)
    .addOption(outputOption())
    .action(async (app: string, opts: Out & RepoOpt & ApprovalOpts & { reason?: string }, cmd: Command) =>
      withClient(cmd, async (client) => {
        const workflowId = await currentRolloutId(client, app, opts.repo);
        const s = await run(client.workflow.getHandle(workflowId), opts).catch(async (err) => {
          if (err instanceof WorkflowNotFoundError) {
            // Updates reach running workflows only: say how it ended instead of "not found".
            const ended = await rolloutState(client, workflowId).catch(() => undefined);
            if (ended)
              throw new CliError(
                `rollout ${workflowId} has already ended: ${ended.phase} (${ended.message})`,
                'a new rollout starts when a sync changes the target’s pod template',
              );
          }
          throw temporalError(err, `rollout ${workflowId}`);
        });
        const v = { ...s, workflowId };
        printAs(opts.output, v, () => printRollout(v));
        process.exitCode = exitFor(s);
      }),
    );
}

/** `sluice rollout …`: kubectl-argo-rollouts' commands against the rollout workflows. */
export function rolloutCommand(): Command {
  const abort = updateCommand(
    'abort',
    'roll back now: all traffic to the primary, canary scaled to zero',
    (h, o) => h.executeUpdate(abortUpdate, { args: [o.reason ? { reason: o.reason } : {}] }),
    (s) => (s.phase === 'Failed' ? ExitCode.ok : ExitCode.failure),
  ).option('--reason <text>', 'why (shown in the rollout’s message and alerts)');
  return new Command('rollout')
    .description('progressive rollouts: list, inspect, follow, promote, abort, pause, resume, retry')
    .addCommand(listCommand())
    .addCommand(getCommand())
    .addCommand(watchCommand())
    .addCommand(
      withApproval(
        updateCommand(
          'promote',
          'skip the remaining steps and promote now; waits until promoted (exit 1 if it fails). Signed with --key; required when the Rollout lists promotion.approvers',
          async (h, o) =>
            h.executeUpdate(promoteUpdate, { args: [await approvalRequest(h, 'promote', undefined, o)] }),
          endCode,
        ),
      ),
    )
    .addCommand(abort)
    .addCommand(
      updateCommand(
        'pause',
        'stop advancing at the current step (checks stop too)',
        (h) => h.executeUpdate(pauseUpdate),
        () => 0,
      ),
    )
    .addCommand(
      withApproval(
        updateCommand(
          'resume',
          'continue after a pause (also ends a `pause: {}` step); gated like promote',
          async (h, o) =>
            h.executeUpdate(resumeUpdate, { args: [await approvalRequest(h, 'resume', undefined, o)] }),
          () => 0,
        ),
      ),
    )
    .addCommand(retryCommand());
}
