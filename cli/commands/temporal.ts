import type { Connection } from '@temporalio/client';
import { Command } from 'commander';
import { ensureSearchAttributes, SearchAttributesMissingError } from '../../worker/search-attributes.js';
import { CliError } from '../errors.js';
import type { TemporalOptions } from '../global-options.js';
import { withClient } from '../temporal.js';

/** `sluice temporal setup`: prepares a Temporal namespace for Sluice (its search attributes), idempotently. */
export function temporalCommand(): Command {
  return new Command('temporal').description('prepare the Temporal namespace Sluice runs in').addCommand(
    new Command('setup')
      .description(
        "register Sluice's search attributes (SluiceApp, SluiceKind, SluiceRevision, SluicePhase) in --namespace; a no-op when they exist. The worker does the same at start.",
      )
      .action(async (_opts: unknown, cmd: Command) => {
        const { namespace } = cmd.optsWithGlobals<TemporalOptions>();
        const result = await withClient(cmd, (client) =>
          ensureSearchAttributes(client.connection as Connection, namespace),
        ).catch((err: unknown) => {
          if (!(err instanceof SearchAttributesMissingError)) throw err;
          const [message, ...commands] = err.message.split('\n');
          throw new CliError(message as string, `run one of:\n${commands.join('\n')}`);
        });
        for (const name of result.registered) process.stdout.write(`registered ${name}\n`);
        for (const name of result.present) process.stdout.write(`already registered ${name}\n`);
      }),
  );
}
