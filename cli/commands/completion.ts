import { Argument, Command } from 'commander';
import { bashScript, completionTree, fishScript, zshScript } from '../completion-scripts.js';

/** `sluice completion bash|zsh|fish`: the completion script for a shell, from the command tree itself. */
export function completionCommand(): Command {
  return new Command('completion')
    .description('print a shell completion script (bash, zsh or fish)')
    .addArgument(new Argument('<shell>', 'the shell').choices(['bash', 'zsh', 'fish']))
    .addHelpText(
      'after',
      `
Install:
  bash  echo 'source <(sluice completion bash)' >> ~/.bashrc
  zsh   echo 'source <(sluice completion zsh)' >> ~/.zshrc   (after compinit)
  fish  sluice completion fish > ~/.config/fish/completions/sluice.fish`,
    )
    .action(async (shell: 'bash' | 'zsh' | 'fish') => {
      // Imported here: program.ts imports this module lazily, and the whole tree is loaded only for this.
      const { buildProgram } = await import('../program.js');
      const nodes = completionTree(await buildProgram());
      const script = { bash: bashScript, zsh: zshScript, fish: fishScript }[shell](nodes);
      process.stdout.write(script);
    });
}
