// `sluice app wait NAME`: until the application is synced and/or healthy, showing its objects as they change.
import { Command } from 'commander';
import type { ApplicationStatus } from '../../workflows/application/messages.js';
import { lookAtApp, progressView } from '../app-progress.js';
import { CliError } from '../errors.js';
import { durationOption, formatDuration, parseAppName } from '../flags.js';
import { LiveOutput } from '../live-output.js';
import { type OutputFormat, outputOption, printAs, short, statusColour } from '../output.js';
import { withClient } from '../temporal.js';
import { AppNotListedError, appHandle, appStatus, repoOption } from '../workflows.js';

interface WaitOpts {
  output: OutputFormat;
  repo?: string;
  health?: boolean;
  sync?: boolean;
  timeout: number;
}

/** `sluice app wait NAME`. */
export function waitCommand(): Command {
  return new Command('wait')
    .description(
      'wait until the application is synced and/or healthy, showing its objects as they change; exit 1 on timeout',
    )
    .argument('<name>', 'the application: NAME or REPO/NAME', parseAppName)
    .option('--health', 'wait for health Healthy')
    .option('--sync', 'wait for sync status Synced')
    .addOption(durationOption('--timeout <duration>', 'give up after this long (e.g. 90s, 5m)', '5m'))
    .addOption(repoOption())
    .addOption(outputOption())
    .action(async (name: string, opts: WaitOpts, cmd: Command) =>
      withClient(cmd, async (client) => {
        const both = !opts.health && !opts.sync;
        const deadline = Date.now() + opts.timeout;
        const handle = await whenListed(() => appHandle(client, name, opts.repo), name, deadline);
        const done = (s: ApplicationStatus) =>
          s.phase !== 'Syncing' &&
          ((!opts.health && !both) || s.health === 'Healthy') &&
          ((!opts.sync && !both) || s.syncStatus === 'Synced');
        const live = opts.output === 'table' ? new LiveOutput(Boolean(process.stdout.isTTY)) : undefined;
        let syncId: string | undefined;
        for (;;) {
          const p = await lookAtApp(client, handle, name, syncId);
          // No answer: appStatus says why (not found, ended, no worker on its task queue).
          const s = p.status ?? (await appStatus(handle, name));
          syncId = p.sync?.workflowId ?? syncId;
          if (live) {
            const view = progressView(p);
            live.show(view.block, view.lines);
          }
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
              `timed out after ${formatDuration(opts.timeout)} waiting for ${name}: sync ${s.syncStatus}, health ${s.health}${s.lastError ? ` (${s.lastError})` : ''}${s.waitingFor ? `; its sync waits for ${s.waitingFor.map((w) => `${w.id} (${w.reason})`).join(', ')}` : ''}`,
              'see `sluice app get` and the sync’s history in the Temporal UI; wait longer with --timeout',
            );
          }
          await new Promise((r) => setTimeout(r, 1000));
        }
      }),
    );
}

/**
 * The application's handle once it is listed: right after a push, `app wait` waits for the watcher to
 * start it (as `kubectl wait --for=create` does) instead of failing before the first poll.
 */
async function whenListed<T>(find: () => Promise<T>, name: string, deadline: number): Promise<T> {
  for (let told = false; ; told = true) {
    try {
      return await find();
    } catch (err) {
      if (!(err instanceof AppNotListedError) || Date.now() > deadline) throw err;
      if (!told) console.error(`${name}: not running yet; waiting for its repository's watcher to start it`);
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
}
