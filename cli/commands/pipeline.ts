// `sluice pipeline list | runs NAME | run NAME | get RUN | approve RUN STEP | cancel RUN | retry RUN STEP`:
// reads and steers pipeline runs (`pipeline/<name>/<run>` workflows) through Temporal.
import type { Client } from '@temporalio/client';
import { Command, InvalidArgumentError, Option } from 'commander';
import { pipelineWorkflowId } from '../../core/workflow-ids.js';
import {
  approveUpdate,
  cancelRunUpdate,
  type PipelineRunStatus,
  pipelineStatusQuery,
  retryStepUpdate,
} from '../../workflows/pipeline/messages.js';
import { pipelineTriggerWorkflowId, runNowUpdate } from '../../workflows/pipeline/trigger-messages.js';
import { SluiceApp, SluicePhase } from '../../workflows/shared/search-attributes.js';
import { type ApprovalOpts, approvalOptions, approvalRequest, me } from '../approval.js';
import { CliError, ExitCode } from '../errors.js';
import { parsePipelineName, parsePositiveInt, parseRepoId } from '../flags.js';
import { isoTime, type OutputFormat, outputOption, printAs, printTable, statusColour } from '../output.js';
import { withClient } from '../temporal.js';
import { kindQuery, temporalError } from '../workflows.js';

type Out = { output: OutputFormat };

/** The trigger workflow of a Pipeline: by repository when given, else the one running Pipeline of that name. */
async function triggerId(client: Client, name: string, repo?: string): Promise<string> {
  if (repo) return pipelineTriggerWorkflowId(repo, name);
  const found: string[] = [];
  for await (const wf of client.workflow.list({
    query: kindQuery('pipeline-trigger', { app: name, running: true }),
  }))
    found.push(wf.workflowId);
  if (found.length === 1) return found[0] as string;
  throw new CliError(
    found.length === 0
      ? `Pipeline "${name}" not found among the watched Pipelines`
      : `Pipeline "${name}" is declared in more than one repository: ${found.join(', ')}`,
    'give the repository with --repo',
    ExitCode.usage,
  );
}

/** "shop/promote/7", "pipeline/shop/promote/7" → "pipeline/shop/promote/7" (repository, Pipeline, run). */
export function runWorkflowId(run: string): string {
  const [repoId = '', pipeline = '', id = '', ...rest] = run.replace(/^pipeline\//, '').split('/');
  if (
    rest.length > 0 ||
    !/^[\w.-]+$/.test(repoId) ||
    !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(pipeline) ||
    !/^[^/\s]+$/.test(id)
  )
    throw new CliError(
      `"${run}" is not a run: expected <repo>/<pipeline>/<run> or pipeline/<repo>/<pipeline>/<run>`,
      'list runs with `sluice pipeline runs NAME`',
      ExitCode.usage,
    );
  return pipelineWorkflowId(repoId, pipeline, id);
}

interface RunRow {
  pipeline?: string;
  workflowId: string;
  phase?: string;
  status: string;
  startTime: string;
  closeTime?: string;
}

async function listRuns(client: Client, opts: { pipeline?: string; limit: number }): Promise<RunRow[]> {
  const rows: RunRow[] = [];
  for await (const wf of client.workflow.list({ query: kindQuery('pipeline', { app: opts.pipeline }) })) {
    rows.push({
      pipeline: wf.typedSearchAttributes.get(SluiceApp),
      workflowId: wf.workflowId,
      phase: wf.typedSearchAttributes.get(SluicePhase),
      status: wf.status.name,
      startTime: isoTime(wf.startTime),
      ...(wf.closeTime ? { closeTime: isoTime(wf.closeTime) } : {}),
    });
    if (rows.length >= opts.limit) break;
  }
  return rows;
}

async function status(client: Client, workflowId: string): Promise<PipelineRunStatus> {
  try {
    return await client.workflow.getHandle(workflowId).query(pipelineStatusQuery);
  } catch (err) {
    throw temporalError(err, `pipeline run ${workflowId}`);
  }
}

function printRun(s: PipelineRunStatus): void {
  console.log(`run:      pipeline/${s.pipeline}/${s.run}`);
  console.log(`phase:    ${statusColour(s.phase)}${s.message ? `  ${s.message}` : ''}`);
  console.log(
    `trigger:  ${s.trigger.kind}${s.trigger.by ? ` by ${s.trigger.by}` : ''}${s.trigger.revision ? ` at ${s.trigger.revision.slice(0, 7)}` : ''}`,
  );
  console.log(`started:  ${s.startedAt}${s.finishedAt ? `  finished: ${s.finishedAt}` : ''}`);
  printTable(
    ['step', 'uses', 'group', 'phase', 'attempts', 'note'],
    s.steps.map((st) => [
      st.name,
      st.uses,
      st.group ?? '',
      statusColour(st.phase),
      String(st.attempts),
      st.approvedBy
        ? `approved by ${st.approvedBy}${st.approvalVerified ? ' (signed)' : ' (unverified)'} at ${st.approvedAt}`
        : (st.message ?? ''),
    ]),
    'no steps',
  );
}

/** Runs an update and prints the run's state it answers. */
async function steer(
  cmd: Command,
  run: string,
  what: string,
  output: OutputFormat,
  send: (client: Client, workflowId: string) => Promise<PipelineRunStatus>,
): Promise<void> {
  const workflowId = runWorkflowId(run);
  await withClient(cmd, async (client) => {
    let s: PipelineRunStatus;
    try {
      s = await send(client, workflowId);
    } catch (err) {
      throw temporalError(err, `${what} ${workflowId}`, ExitCode.usage);
    }
    printAs(output, s, () => printRun(s));
  });
}

/** The `sluice pipeline` command and its subcommands. */
export function pipelineCommand(): Command {
  const limit = () => new Option('--limit <n>', 'at most this many').argParser(parsePositiveInt).default(50);
  return new Command('pipeline')
    .description('pipeline runs: list, inspect, approve, cancel and retry steps')
    .addCommand(
      new Command('list')
        .description('every Pipeline that has run, with its newest run')
        .addOption(outputOption())
        .action(async (opts: Out, cmd: Command) =>
          withClient(cmd, async (client) => {
            const newest = new Map<string, RunRow>();
            for (const r of await listRuns(client, { limit: 1000 }))
              if (r.pipeline && !newest.has(r.pipeline)) newest.set(r.pipeline, r);
            const rows = [...newest.values()];
            printAs(opts.output, rows, () =>
              printTable(
                ['pipeline', 'last run', 'phase', 'started'],
                rows.map((r) => [r.pipeline ?? '', r.workflowId, statusColour(r.phase ?? '-'), r.startTime]),
                'no pipeline runs',
              ),
            );
          }),
        ),
    )
    .addCommand(
      new Command('runs')
        .description("a Pipeline's runs, newest first")
        .argument('<name>', 'Pipeline name', parsePipelineName)
        .addOption(limit())
        .addOption(outputOption())
        .action(async (name: string, opts: Out & { limit: number }, cmd: Command) =>
          withClient(cmd, async (client) => {
            const rows = await listRuns(client, { pipeline: name, limit: opts.limit });
            printAs(opts.output, rows, () =>
              printTable(
                ['run', 'phase', 'status', 'started', 'closed'],
                rows.map((r) => [
                  r.workflowId,
                  statusColour(r.phase ?? '-'),
                  r.status,
                  r.startTime,
                  r.closeTime ?? '',
                ]),
                `no runs of ${name}`,
              ),
            );
          }),
        ),
    )
    .addCommand(
      new Command('run')
        .description('start a run now (the Pipeline must be in a watched repository)')
        .argument('<name>', 'Pipeline name', parsePipelineName)
        .option(
          '-r, --repo <id>',
          'the repository the Pipeline is declared in (default: found by name)',
          parseRepoId,
        )
        .option('--revision <sha>', 'the commit the run promotes (trigger.revision)')
        .option(
          '--set <key=value>',
          'a trigger input (trigger.inputs.<key>), repeatable',
          (v: string, all: Record<string, string>) => {
            const i = v.indexOf('=');
            if (i < 1) throw new InvalidArgumentError('expected key=value');
            return { ...all, [v.slice(0, i)]: v.slice(i + 1) };
          },
          {},
        )
        .action(
          async (
            name: string,
            opts: { repo?: string; revision?: string; set: Record<string, string> },
            cmd: Command,
          ) =>
            withClient(cmd, async (client) => {
              const id = await triggerId(client, name, opts.repo);
              try {
                const { workflowId } = await client.workflow.getHandle(id).executeUpdate(runNowUpdate, {
                  args: [
                    {
                      by: me(),
                      ...(opts.revision ? { revision: opts.revision } : {}),
                      ...(Object.keys(opts.set).length ? { inputs: opts.set } : {}),
                    },
                  ],
                });
                console.log(workflowId);
              } catch (err) {
                throw temporalError(err, `Pipeline ${name}`, ExitCode.usage);
              }
            }),
        ),
    )
    .addCommand(
      new Command('get')
        .description('a run step by step: phase, attempts, approvals, failures')
        .argument('<run>', '<pipeline>/<run> or its workflow ID', runWorkflowId)
        .addOption(outputOption())
        .action(async (run: string, opts: Out, cmd: Command) =>
          withClient(cmd, async (client) => {
            const s = await status(client, runWorkflowId(run));
            printAs(opts.output, s, () => printRun(s));
          }),
        ),
    )
    .addCommand(
      approvalOptions()
        .reduce(
          (c, o) => c.addOption(o),
          new Command('approve')
            .description(
              'approve a step that waits for approval; with --key the approval is signed (verified), without it the name is only what you say',
            )
            .argument('<run>', '<pipeline>/<run>', runWorkflowId)
            .argument('<step>', 'the approve step'),
        )
        .option('--comment <text>', 'a note kept with the approval')
        .addOption(outputOption())
        .action(
          async (run: string, step: string, opts: Out & ApprovalOpts & { comment?: string }, cmd: Command) =>
            steer(cmd, run, `approve ${step} of`, opts.output, async (client, id) => {
              const handle = client.workflow.getHandle(id);
              const request = await approvalRequest(handle, 'approve', step, opts);
              return handle.executeUpdate(approveUpdate, {
                args: [{ step, ...request, ...(opts.comment ? { comment: opts.comment } : {}) }],
              });
            }),
        ),
    )
    .addCommand(
      new Command('cancel')
        .description('cancel a run: the running step is cancelled, nothing later runs')
        .argument('<run>', '<pipeline>/<run>', runWorkflowId)
        .option('--reason <text>', 'why, kept in the run')
        .addOption(outputOption())
        .action(async (run: string, opts: Out & { reason?: string }, cmd: Command) =>
          steer(cmd, run, 'cancel', opts.output, (client, id) =>
            client.workflow.getHandle(id).executeUpdate(cancelRunUpdate, {
              args: [{ by: me(), ...(opts.reason ? { reason: opts.reason } : {}) }],
            }),
          ),
        ),
    )
    .addCommand(
      new Command('retry')
        .description(
          're-run a failed run from a step (the failed one or an earlier one) while its retry window is open',
        )
        .argument('<run>', '<pipeline>/<run>', runWorkflowId)
        .argument('<step>', 'step to run again')
        .addOption(outputOption())
        .action(async (run: string, step: string, opts: Out, cmd: Command) =>
          steer(cmd, run, `retry ${step} of`, opts.output, (client, id) =>
            client.workflow.getHandle(id).executeUpdate(retryStepUpdate, { args: [{ step, by: me() }] }),
          ),
        ),
    );
}
