// The `sluice` command. Each subcommand lives in cli/commands/; this file only assembles them and
// maps errors to exit codes (0 ok, 1 failure, 2 usage).
import { Command, CommanderError } from 'commander';
import { demoCommand } from './commands/demo.js';
import { devCommand } from './commands/dev.js';
import { validateCommand } from './commands/validate.js';
import { workerCommand } from './commands/worker.js';
import { ExitCode, reportError } from './errors.js';

const program = new Command('sluice')
  .description('GitOps and progressive delivery, every sync and rollout a durable Temporal workflow')
  .version('0.1.0')
  .exitOverride()
  .addCommand(devCommand())
  .addCommand(demoCommand())
  .addCommand(validateCommand())
  .addCommand(workerCommand());

// addCommand() does not pass settings down: every subcommand must throw, not exit, so usage errors map to 2.
const overrideExit = (c: Command): void => {
  c.exitOverride();
  c.commands.forEach(overrideExit);
};
overrideExit(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  } else {
    process.exitCode = reportError(err);
  }
}
