import type { Client } from '@temporalio/client';
import { Command, Option } from 'commander';
import { stringify } from 'yaml';
import type { ApplicationStatus } from '../../workflows/application/messages.js';
import { applicationStatusQuery, historyQuery, refreshSignal } from '../../workflows/application/messages.js';
import { CliError, causeChain } from '../errors.js';
import { parseAppName } from '../flags.js';
import {
  colour,
  isoTime,
  type OutputFormat,
  outputOption,
  printAs,
  printFields,
  printStructured,
  printTable,
  short,
  statusColour,
} from '../output.js';
import { withClient } from '../temporal.js';
import { appHandle, appStatus, kindQuery, queryError, repoOption } from '../workflows.js';
import { resumeCommand, suspendCommand } from './app-suspend.js';
import { diffCommand, rollbackCommand, syncCommand } from './app-sync.js';
import { waitCommand } from './app-wait.js';

type Out = { output: OutputFormat };
type RepoOpt = { repo?: string };

/** The `app get` block. */
function printStatus(s: ApplicationStatus): void {
  printFields([
    ['Name', s.name],
    ['Repository', s.repoId],
    ['Project', s.project],
    ['Phase', s.phase],
    [
      'Sync',
      `${statusColour(s.syncStatus)} (synced ${short(s.syncedRevision)}, source ${short(s.sourceRevision)})`,
    ],
    ['Health', statusColour(s.health)],
    ['Declared in', `${s.source} @ ${short(s.revision)}`],
    [
      'Suspended',
      s.suspended
        ? colour(
            'yellow',
            `by ${s.suspended.by} at ${s.suspended.at}: ${s.suspended.reason} (no automated sync or self-heal; \`sluice app resume\`)`,
          )
        : undefined,
    ],
    ['Held at', s.heldAt ? `${short(s.heldAt)} (rolled back; auto-sync waits for a new commit)` : undefined],
    [
      'Last sync',
      s.lastSync
        ? `${s.lastSync.id} ${statusColour(s.lastSync.phase)} ${isoTime(s.lastSync.finishedAt)}`
        : undefined,
    ],
    ['Rollout', s.rollout ? `${statusColour(s.rollout.phase)} ${s.rollout.workflowId}` : undefined],
    [
      'Rollout retried',
      s.rolloutRetry
        ? `by ${s.rolloutRetry.by} at ${s.rolloutRetry.at}${s.rolloutRetry.reason ? `: ${s.rolloutRetry.reason}` : ''} (${s.rolloutRetry.workflowId})`
        : undefined,
    ],
    ['Rollout error', s.rolloutError ? colour('red', s.rolloutError) : undefined],
    ['Waiting for', s.waitingFor ? colour('yellow', waitingText(s)) : undefined],
    ['Error', s.lastError ? colour('red', s.lastError) : undefined],
    ['Removed', s.removal?.message],
  ]);
  if (!s.resources) {
    console.log('\n(objects: not looked at yet since the workflow started; `sluice app refresh` looks now)');
    return;
  }
  console.log('');
  printTable(
    ['group', 'kind', 'namespace', 'name', 'sync', 'health', 'message'],
    s.resources.map((r) => [
      r.ref.apiVersion.includes('/') ? (r.ref.apiVersion.split('/')[0] ?? '') : '',
      r.ref.kind,
      r.ref.namespace ?? '',
      r.ref.name,
      statusColour(r.sync),
      statusColour(r.health),
      r.message ?? '',
    ]),
    '(no objects)',
  );
}

/** What a waiting application's next sync waits for: "shop/db (health Progressing), …". */
function waitingText(s: ApplicationStatus): string {
  return (s.waitingFor ?? []).map((w) => `${w.id} (${w.reason})`).join(', ');
}

/** The list's SUSPENDED cell: who and why, the reason cut short (`app get` shows all of it). */
function suspendedCell(s: { by: string; reason: string }): string {
  const reason = s.reason.length > 40 ? `${s.reason.slice(0, 39)}…` : s.reason;
  return `${s.by}: ${reason}`;
}

/** An application whose status query did not answer: listed anyway, with why. */
interface UnreadableApp {
  name: string;
  repoId: string;
  workflowId: string;
  error: string;
}

/** How long `app list` waits for one application's answer: a workflow nobody serves must not stall the list. */
const LIST_QUERY_TIMEOUT_MS = 5000;

/** Every running application's status, or why it could not be read; asked a few at a time. */
async function listApps(client: Client): Promise<(ApplicationStatus | UnreadableApp)[]> {
  const ids: string[] = [];
  for await (const wf of client.workflow.list({ query: kindQuery('application', { running: true }) }))
    ids.push(wf.workflowId);
  const out: (ApplicationStatus | UnreadableApp)[] = [];
  for (let i = 0; i < ids.length; i += 8)
    out.push(
      ...(await Promise.all(
        ids.slice(i, i + 8).map(async (workflowId) => {
          const [, repoId = '', name = workflowId] = workflowId.split('/');
          const handle = client.workflow.getHandle(workflowId);
          try {
            return await client.withDeadline(Date.now() + LIST_QUERY_TIMEOUT_MS, () =>
              handle.query(applicationStatusQuery),
            );
          } catch (err) {
            const why = await queryError(handle, err, name);
            const hint = why instanceof CliError && why.hint ? ` (${why.hint})` : '';
            return { name, repoId, workflowId, error: `${causeChain(why)}${hint}` };
          }
        }),
      )),
    );
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** `sluice app list`. */
function listCommand(): Command {
  return new Command('list')
    .description('list running applications with their sync status and health')
    .addOption(outputOption())
    .action(async (opts: Out, cmd: Command) =>
      withClient(cmd, async (client) => {
        const apps = await listApps(client);
        const unreadable = apps.filter((a): a is UnreadableApp => 'error' in a);
        printAs(opts.output, apps, () => {
          printTable(
            ['name', 'repository', 'project', 'sync', 'health', 'revision', 'rollout', 'suspended'],
            apps.map((a) =>
              'error' in a
                ? [
                    a.name,
                    a.repoId,
                    '-',
                    colour('red', 'Unreadable'),
                    colour('red', 'Unknown'),
                    '-',
                    '-',
                    '-',
                  ]
                : [
                    a.name,
                    a.repoId,
                    a.project,
                    a.waitingFor
                      ? `${statusColour(a.syncStatus)} ${colour('yellow', `waiting for ${a.waitingFor.map((w) => w.id).join(', ')}`)}`
                      : statusColour(a.syncStatus),
                    statusColour(a.health),
                    short(a.syncedRevision),
                    a.rollout ? statusColour(a.rollout.phase) : '-',
                    a.suspended ? colour('yellow', suspendedCell(a.suspended)) : '-',
                  ],
            ),
            'no applications',
          );
          for (const a of unreadable)
            process.stderr.write(`sluice: ${a.name}: status unreadable: ${a.error}\n`);
        });
      }),
    );
}

/** `sluice app get NAME`. */
function getCommand(): Command {
  return new Command('get')
    .description('show an application’s sync status, health, last sync and rollout')
    .argument('<name>', 'the application: NAME or REPO/NAME', parseAppName)
    .addOption(repoOption())
    .addOption(outputOption())
    .action(async (name: string, opts: Out & RepoOpt, cmd: Command) =>
      withClient(cmd, async (client) => {
        const s = await appStatus(await appHandle(client, name, opts.repo), name);
        printAs(opts.output, s, () => printStatus(s));
      }),
    );
}

/** `sluice app history NAME`. */
function historyCommand(): Command {
  return new Command('history')
    .description('list the application’s recent syncs, oldest first (IDs for `app rollback`)')
    .argument('<name>', 'the application: NAME or REPO/NAME', parseAppName)
    .addOption(repoOption())
    .addOption(outputOption())
    .action(async (name: string, opts: Out & RepoOpt, cmd: Command) =>
      withClient(cmd, async (client) => {
        const handle = await appHandle(client, name, opts.repo);
        await appStatus(handle, name);
        const history = (await handle.query(historyQuery)).map(({ inventory: _inv, ...h }) => h);
        printAs(opts.output, history, () =>
          printTable(
            ['id', 'revision', 'phase', 'health', 'finished', 'changed', 'pruned', 'message'],
            history.map((h) => [
              String(h.id),
              short(h.revision),
              statusColour(h.phase),
              statusColour(h.health),
              isoTime(h.finishedAt),
              String(h.changed.length),
              String(h.pruned.length),
              h.message.split('\n')[0] ?? '',
            ]),
            `${name} has no syncs yet`,
          ),
        );
      }),
    );
}

/** `sluice app refresh NAME`. */
function refreshCommand(): Command {
  return new Command('refresh')
    .description('look at the source and the live state now instead of at the next refresh (every 3m)')
    .argument('<name>', 'the application: NAME or REPO/NAME', parseAppName)
    .addOption(repoOption())
    .action(async (name: string, opts: RepoOpt, cmd: Command) =>
      withClient(cmd, async (client) => {
        const handle = await appHandle(client, name, opts.repo);
        await appStatus(handle, name);
        await handle.signal(refreshSignal);
        console.log(`${name}: refresh requested`);
      }),
    );
}

/** `sluice app manifests NAME`. */
function manifestsCommand(): Command {
  return new Command('manifests')
    .description('render the application’s source at its synced revision (what Sluice applied)')
    .argument('<name>', 'the application: NAME or REPO/NAME', parseAppName)
    .option('--revision <sha>', 'render this commit instead of the synced one')
    .option('-c, --config <file>', 'worker config naming repository credentials', './sluice-worker.yaml')
    .addOption(repoOption())
    .addOption(
      new Option('-o, --output <format>', 'yaml (a multi-document stream) or json')
        .choices(['yaml', 'json'])
        .default('yaml'),
    )
    .action(
      async (
        name: string,
        opts: RepoOpt & { revision?: string; config: string; output: 'yaml' | 'json' },
        cmd: Command,
      ) =>
        withClient(cmd, async (client) => {
          // Loaded here: the renderers and the Git cache are heavy and only this command needs them.
          const { renderAppManifests } = await import('../app-manifests.js');
          const objects = await renderAppManifests(client, name, opts);
          if (opts.output === 'json') printStructured(objects, 'json');
          else process.stdout.write(objects.map((o) => `---\n${stringify(o)}`).join(''));
        }),
    );
}

/** `sluice app …`: Argo CD's application commands against the application workflows. */
export function appCommand(): Command {
  return new Command('app')
    .description('applications: list, inspect, diff, sync, roll back, wait, refresh, suspend, resume, render')
    .addCommand(listCommand())
    .addCommand(getCommand())
    .addCommand(diffCommand())
    .addCommand(syncCommand())
    .addCommand(historyCommand())
    .addCommand(rollbackCommand())
    .addCommand(waitCommand())
    .addCommand(refreshCommand())
    .addCommand(suspendCommand())
    .addCommand(resumeCommand())
    .addCommand(manifestsCommand());
}
