// The `sluice` command tree: the root with its global options and the lazily loaded subcommands. main.ts
// runs it; `sluice completion` and the tests walk the whole of it.
import { Command } from 'commander';
import { packageVersion } from '../scripts/stack/project-root.js';
import { addTemporalOptions } from './global-options.js';

/** Every command, in the order `sluice --help` lists them; a module is imported only when its command runs. */
export const commands: Record<string, () => Promise<Command>> = {
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
  image: async () => (await import('./commands/image.js')).imageCommand(),
  approver: async () => (await import('./commands/approver.js')).approverCommand(),
  temporal: async () => (await import('./commands/temporal.js')).temporalCommand(),
  version: async () => (await import('./commands/version.js')).versionCommand(),
  completion: async () => (await import('./commands/completion.js')).completionCommand(),
};

/** The root command without subcommands. */
export function rootCommand(): Command {
  return addTemporalOptions(
    new Command('sluice')
      .description('GitOps and progressive delivery, every sync and rollout a durable Temporal workflow')
      .version(packageVersion())
      .exitOverride(),
  );
}

// addCommand() does not pass settings down: every subcommand must throw, not exit, so usage errors map to 2.
const overrideExit = (c: Command): void => {
  c.exitOverride();
  c.commands.forEach(overrideExit);
};

/** The root with the named subcommands (default all) loaded, each throwing instead of exiting. */
export async function buildProgram(names: string[] = Object.keys(commands)): Promise<Command> {
  const program = rootCommand();
  for (const name of names) program.addCommand(await (commands[name] as () => Promise<Command>)());
  overrideExit(program);
  return program;
}
