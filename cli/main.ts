// The `sluice` command. Each subcommand lives in cli/commands/; this file only assembles them and
// maps errors to exit codes (0 ok, 1 failure, 2 usage). A command's module (and the clients it
// loads) is imported only when that command runs, so `sluice app list` does not load the worker.
import { Command, CommanderError } from 'commander';
import { packageVersion } from '../scripts/stack/project-root.js';
import { ExitCode, reportError } from './errors.js';
import { addTemporalOptions } from './global-options.js';
import { guardTerminal } from './terminal.js';

// Before anything prints: control characters from outside never reach the terminal raw (cli/terminal.ts).
guardTerminal();

/** Every command, in the order `sluice --help` lists them. */
const commands: Record<string, () => Promise<Command>> = {
  app: async () => (await import('./commands/app.js')).appCommand(),
  rollout: async () => (await import('./commands/rollout.js')).rolloutCommand(),
  repo: async () => (await import('./commands/repo.js')).repoCommand(),
  cluster: async () => (await import('./commands/cluster.js')).clusterCommand(),
  convert: async () => (await import('./commands/convert.js')).convertCommand(),
  validate: async () => (await import('./commands/validate.js')).validateCommand(),
  dev: async () => (await import('./commands/dev.js')).devCommand(),
  demo: async () => (await import('./commands/demo.js')).demoCommand(),
  worker: async () => (await import('./commands/worker.js')).workerCommand(),
  pipeline: async () => (await import('./commands/pipeline.js')).pipelineCommand(),
  approver: async () => (await import('./commands/approver.js')).approverCommand(),
};

const program = addTemporalOptions(
  new Command('sluice')
    .description('GitOps and progressive delivery, every sync and rollout a durable Temporal workflow')
    .version(packageVersion())
    .exitOverride(),
);

/** The command word in argv: the first argument that is neither a global option nor its value. */
function commandWord(args: string[]): string | undefined {
  const takesValue = new Set(
    program.options.filter((o) => o.required || o.optional).flatMap((o) => [o.long, o.short]),
  );
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--') return args[i + 1];
    if (!a.startsWith('-')) return a;
    if (takesValue.has(a)) i++;
  }
  return undefined;
}

// addCommand() does not pass settings down: every subcommand must throw, not exit, so usage errors map to 2.
const overrideExit = (c: Command): void => {
  c.exitOverride();
  c.commands.forEach(overrideExit);
};

try {
  const word = commandWord(process.argv.slice(2));
  // Help, a typo (commander suggests the nearest name) or no command at all: load every command.
  const args = process.argv.slice(2);
  const versionOnly = !word && (args.includes('-V') || args.includes('--version'));
  const names = word && word in commands ? [word] : versionOnly ? [] : Object.keys(commands);
  for (const name of names) program.addCommand(await (commands[name] as () => Promise<Command>)());
  overrideExit(program);
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  } else {
    process.exitCode = reportError(err);
  }
}
