import { Command, InvalidArgumentError, Option } from 'commander';
import { stringify } from 'yaml';
import type { ApplicationStatus } from '../../workflows/application/messages.js';
import { historyQuery, refreshSignal } from '../../workflows/application/messages.js';
import { durationMs } from '../../workflows/shared/duration.js';
import { CliError } from '../errors.js';
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
import { appHandle, appStatus, kindQuery, repoOption } from '../workflows.js';
import { diffCommand, rollbackCommand, syncCommand } from './app-sync.js';

type Out = { output: OutputFormat };
type RepoOpt = { repo?: string };

/** A duration flag: "90s", "5m", or a number of seconds. */
export function parseDuration(v: string): number {
  try {
    return /^\d+$/.test(v) ? Number(v) * 1000 : durationMs(v);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

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
    ['Held at', s.heldAt ? `${short(s.heldAt)} (rolled back; auto-sync waits for a new commit)` : undefined],
    [
      'Last sync',
      s.lastSync
        ? `${s.lastSync.id} ${statusColour(s.lastSync.phase)} ${isoTime(s.lastSync.finishedAt)}`
        : undefined,
    ],
    ['Rollout', s.rollout ? `${statusColour(s.rollout.phase)} ${s.rollout.workflowId}` : undefined],
    ['Rollout error', s.rolloutError ? colour('red', s.rolloutError) : undefined],
    ['Error', s.lastError ? colour('red', s.lastError) : undefined],
    ['Removed', s.removal?.message],
  ]);
}

/** `sluice app list`. */
function listCommand(): Command {
  return new Command('list')
    .description('list running applications with their sync status and health')
    .addOption(outputOption())
    .action(async (opts: Out, cmd: Command) =>
      withClient(cmd, async (client) => {
        const apps: ApplicationStatus[] = [];
        for await (const wf of client.workflow.list({ query: kindQuery('application', { running: true }) })) {
          const s = await appStatus(client.workflow.getHandle(wf.workflowId), wf.workflowId).catch(
            () => undefined,
          );
          if (s) apps.push(s);
        }
        apps.sort((a, b) => a.name.localeCompare(b.name));
        printAs(opts.output, apps, () =>
          printTable(
            ['name', 'repository', 'project', 'sync', 'health', 'revision', 'rollout'],
            apps.map((a) => [
              a.name,
              a.repoId,
              a.project,
              statusColour(a.syncStatus),
              statusColour(a.health),
              short(a.syncedRevision),
              a.rollout ? statusColour(a.rollout.phase) : '-',
            ]),
            'no applications',
          ),
        );
      }),
    );
}

/** `sluice app get NAME`. */
function getCommand(): Command {
  return new Command('get')
    .description('show an application’s sync status, health, last sync and rollout')
    .argument('<name>')
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
    .argument('<name>')
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

/** `sluice app wait NAME`. */
function waitCommand(): Command {
  return new Command('wait')
    .description('wait until the application is synced and/or healthy; exit 1 on timeout')
    .argument('<name>')
    .option('--health', 'wait for health Healthy')
    .option('--sync', 'wait for sync status Synced')
    .option('--timeout <duration>', 'give up after this long (90s, 5m, or seconds)', parseDuration, 300_000)
    .addOption(repoOption())
    .addOption(outputOption())
    .action(
      async (
        name: string,
        opts: Out & RepoOpt & { health?: boolean; sync?: boolean; timeout: number },
        cmd: Command,
      ) =>
        withClient(cmd, async (client) => {
          const both = !opts.health && !opts.sync;
          const handle = await appHandle(client, name, opts.repo);
          const deadline = Date.now() + opts.timeout;
          const done = (s: ApplicationStatus) =>
            s.phase !== 'Syncing' &&
            ((!opts.health && !both) || s.health === 'Healthy') &&
            ((!opts.sync && !both) || s.syncStatus === 'Synced');
          for (;;) {
            const s = await appStatus(handle, name);
            if (done(s)) {
              printAs(opts.output, s, () =>
                console.log(
                  `${name}: ${statusColour(s.syncStatus)}, ${statusColour(s.health)} at ${short(s.syncedRevision)}`,
                ),
              );
              return;
            }
            if (Date.now() > deadline) {
              if (opts.output !== 'table') printAs(opts.output, s, () => undefined);
              throw new CliError(
                `timed out waiting for ${name}: sync ${s.syncStatus}, health ${s.health}${s.lastError ? ` (${s.lastError})` : ''}`,
                'see `sluice app get` and the sync’s history in the Temporal UI',
              );
            }
            await new Promise((r) => setTimeout(r, 1000));
          }
        }),
    );
}

/** `sluice app refresh NAME`. */
function refreshCommand(): Command {
  return new Command('refresh')
    .description('look at the source and the live state now instead of at the next refresh (every 3m)')
    .argument('<name>')
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
    .argument('<name>')
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
    .description('applications: list, inspect, diff, sync, roll back, wait, render')
    .addCommand(listCommand())
    .addCommand(getCommand())
    .addCommand(diffCommand())
    .addCommand(syncCommand())
    .addCommand(historyCommand())
    .addCommand(rollbackCommand())
    .addCommand(waitCommand())
    .addCommand(refreshCommand())
    .addCommand(manifestsCommand());
}
