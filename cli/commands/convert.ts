import { Command } from 'commander';
import { stringify } from 'yaml';
import { formatLoadError } from '../../schemas/loader/index.js';
import { ExitCode } from '../errors.js';
import { validatePaths } from './validate.js';

/** `sluice convert FILE...`: Flagger / Argo CD / Argo Rollouts YAML to Sluice pipeline files. */
export function convertCommand(): Command {
  return new Command('convert')
    .description(
      'convert Flagger (Canary, MetricTemplate, AlertProvider), Argo CD (Application, AppProject) and Argo Rollouts (Rollout, AnalysisTemplate) YAML to Sluice YAML on stdout; notes on stderr',
    )
    .argument(
      '<paths...>',
      'files or folders (searched for *.yaml and *.yml); converted together so references resolve',
    )
    .addHelpText(
      'after',
      '\nExit: 0 converted, 1 a document could not be converted (errors on stderr), 2 bad usage.',
    )
    .action(async (paths: string[]) => {
      const result = await validatePaths(paths);
      for (const w of result.warnings) process.stderr.write(`note: ${formatLoadError(w)}\n`);
      for (const e of result.errors) process.stderr.write(`error: ${formatLoadError(e)}\n`);
      for (const { source, ...object } of result.objects)
        process.stdout.write(`---\n# from ${source.file}:${source.line}\n${stringify(object)}`);
      if (result.errors.length) {
        process.stderr.write(`${result.errors.length} error(s)\n`);
        process.exitCode = ExitCode.failure;
      }
    });
}
