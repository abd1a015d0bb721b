// The `sluice` command. Each subcommand lives in cli/commands/ and cli/program.ts assembles them; this
// file picks the command to load and maps errors to exit codes (0 ok, 1 failure, 2 usage). A command's
// module (and the clients it loads) is imported only when that command runs, so `sluice app list` does
// not load the worker.
import { type Command, CommanderError } from 'commander';
import { ExitCode, reportError } from './errors.js';
import { buildProgram, commands, rootCommand } from './program.js';
import { guardTerminal } from './terminal.js';

// Before anything prints: control characters from outside never reach the terminal raw (cli/terminal.ts).
guardTerminal();

/** The command word in argv: the first argument that is neither a global option nor its value. */
function commandWord(root: Command, args: string[]): string | undefined {
  const takesValue = new Set(
    root.options.filter((o) => o.required || o.optional).flatMap((o) => [o.long, o.short]),
  );
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--') return args[i + 1];
    if (!a.startsWith('-')) return a;
    if (takesValue.has(a)) i++;
  }
  return undefined;
}

try {
  const args = process.argv.slice(2);
  const word = commandWord(rootCommand(), args);
  // Help, a typo (commander suggests the nearest name) or no command at all: load every command.
  const versionOnly = !word && (args.includes('-V') || args.includes('--version'));
  const names = word && word in commands ? [word] : versionOnly ? [] : Object.keys(commands);
  await (await buildProgram(names)).parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  } else {
    process.exitCode = reportError(err);
  }
}
