// `sluice rollout retry NAME`: start the failed rollout of an application's synced revision again, without
// a new commit (a failed revision is otherwise not rolled out again until its target changes).
import { Command } from 'commander';
import { retryRolloutUpdate } from '../../workflows/application/operator-messages.js';
import { ExitCode } from '../errors.js';
import { parseAppName } from '../flags.js';
import { type OutputFormat, outputOption, printAs, short } from '../output.js';
import { withClient } from '../temporal.js';
import { appHandle, appStatus, repoOption, temporalError } from '../workflows.js';
import { byOption, requester } from './app-suspend.js';

/** `sluice rollout retry NAME`. */
export function retryCommand(): Command {
  return new Command('retry')
    .description(
      'roll out again the revision whose rollout failed, without a new commit (only when the last rollout failed); `rollout watch` follows it',
    )
    .argument('<name>', 'the application: NAME or REPO/NAME', parseAppName)
    .addOption(repoOption())
    .addOption(byOption())
    .option('--reason <text>', 'why (recorded with who in `app get`)')
    .addOption(outputOption())
    .action(
      async (
        name: string,
        opts: { repo?: string; by?: string; reason?: string; output: OutputFormat },
        cmd,
      ) =>
        withClient(cmd as Command, async (client) => {
          const handle = await appHandle(client, name, opts.repo);
          await appStatus(handle, name);
          // Not the last rollout, or not a failed one: the validator says why (exit 2).
          const r = await handle
            .executeUpdate(retryRolloutUpdate, { args: [requester(client, opts)] })
            .catch((err) => {
              throw temporalError(err, `application "${name}"`, ExitCode.usage);
            });
          printAs(opts.output, r, () =>
            console.log(`${name}: rollout of ${short(r.revision)} started again: ${r.workflowId}`),
          );
        }),
    );
}
