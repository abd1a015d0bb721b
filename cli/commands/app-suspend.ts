// `sluice app suspend` / `app resume`: stop and restart an application's automation by hand (as `flux suspend`
// / `flux resume`), recorded in its workflow with who and why.
import type { Client } from '@temporalio/client';
import { Command, Option } from 'commander';
import {
  type OperatorRequest,
  resumeUpdate,
  type Suspension,
  suspendUpdate,
} from '../../workflows/application/operator-messages.js';
import { me } from '../approval.js';
import { ExitCode } from '../errors.js';
import { parseAppName } from '../flags.js';
import { type OutputFormat, outputOption, printAs } from '../output.js';
import { withClient } from '../temporal.js';
import { appHandle, appStatus, repoOption, temporalError } from '../workflows.js';

type Opts = { repo?: string; by?: string; reason?: string; output: OutputFormat };

/** The --by option of commands an operator runs by hand: who is recorded. */
export const byOption = () =>
  new Option('--by <name>', 'who asks, as recorded and alerted (default: $SLUICE_USER or your login name)');

/** Who asks: the person, and the Temporal client identity the request goes out with. */
export function requester(client: Client, opts: { by?: string; reason?: string }): OperatorRequest {
  const identity = client.options.identity;
  return {
    by: opts.by ?? me(),
    ...(identity ? { identity } : {}),
    ...(opts.reason !== undefined ? { reason: opts.reason } : {}),
  };
}

/** Runs an operator's update on the application and prints the suspension it answers. */
function operatorCommand(
  name: 'suspend' | 'resume',
  description: string,
  run: (client: Client, app: string, opts: Opts) => Promise<Suspension>,
  done: (app: string, s: Suspension, opts: Opts) => string,
): Command {
  return new Command(name)
    .description(description)
    .argument('<name>', 'the application: NAME or REPO/NAME', parseAppName)
    .addOption(repoOption())
    .addOption(byOption())
    .addOption(outputOption())
    .action(async (app: string, opts: Opts, cmd: Command) =>
      withClient(cmd, async (client) => {
        const s = await run(client, app, opts);
        printAs(opts.output, s, () => console.log(done(app, s, opts)));
      }),
    );
}

/** Sends one update to the application; a rejected one (already suspended, not suspended) is exit 2. */
async function update(
  client: Client,
  app: string,
  opts: Opts,
  send: (h: Awaited<ReturnType<typeof appHandle>>) => Promise<Suspension>,
): Promise<Suspension> {
  const handle = await appHandle(client, app, opts.repo);
  await appStatus(handle, app); // a clear "not found" first
  return send(handle).catch((err) => {
    throw temporalError(err, `application "${app}"`, ExitCode.usage);
  });
}

/** `sluice app suspend NAME --reason TEXT`. */
export function suspendCommand(): Command {
  return operatorCommand(
    'suspend',
    'stop automated sync and self-heal (a hotfix made on the cluster stays); new commits are still seen, as OutOfSync. `app sync` still works',
    (client, app, opts) =>
      update(client, app, opts, (h) =>
        h.executeUpdate(suspendUpdate, {
          args: [{ ...requester(client, opts), reason: opts.reason ?? '' }],
        }),
      ),
    (app, s) => `${app}: automation suspended by ${s.by} at ${s.at}: ${s.reason}`,
  ).requiredOption('--reason <text>', 'why (shown by `app get` and `app list`, and alerted)');
}

/** `sluice app resume NAME`. */
export function resumeCommand(): Command {
  return operatorCommand(
    'resume',
    'resume automated sync and self-heal; looks at Git and the cluster at once (new commits synced, drift healed)',
    (client, app, opts) =>
      update(client, app, opts, (h) => h.executeUpdate(resumeUpdate, { args: [requester(client, opts)] })),
    (app, s, opts) =>
      `${app}: automation resumed by ${opts.by ?? me()} (suspended by ${s.by} at ${s.at}: ${s.reason})`,
  ).option('--reason <text>', 'why (alerted)');
}
