import { stat } from 'node:fs/promises';
import { Command, InvalidArgumentError, Option } from 'commander';
import { sluiceKinds } from '../../schemas/kinds.js';
import {
  findPipelineFiles,
  formatLoadError,
  type LoadResult,
  loadPipelineFiles,
  readSourceFiles,
} from '../../schemas/loader/index.js';
import { CliError, ExitCode } from '../errors.js';
import { printStructured } from '../output.js';

/** Loads the pipeline files at paths (files, or folders searched for *.yaml / *.yml) together, so
 * references between them resolve; reported paths are as given, joined with the file's place in a folder. */
export async function validatePaths(
  paths: string[],
  opts: { maxFileBytes?: number } = {},
): Promise<LoadResult> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info)
      throw new CliError(
        `${path}: no such file or directory`,
        'give files or folders of pipeline files',
        ExitCode.usage,
      );
    files.push(...(info.isDirectory() ? await findPipelineFiles(path) : [path]));
  }
  const read = await readSourceFiles([...new Set(files)], (p) => p, opts);
  const result = loadPipelineFiles(read.files, opts);
  result.errors.unshift(...read.errors);
  return result;
}

/** The `-o json` / `-o yaml` document: objects as kind, name, file and line. */
export function validationReport(result: LoadResult) {
  return {
    valid: result.errors.length === 0,
    objects: result.objects.map((o) => ({
      kind: o.kind,
      name: o.metadata.name,
      file: o.source.file,
      line: o.source.line,
    })),
    errors: result.errors,
    warnings: result.warnings,
    ignored: result.ignored,
  };
}

/** One line per kind found, e.g. "2 Rollouts". */
function summary(result: LoadResult): string[] {
  return sluiceKinds.flatMap((kind) => {
    const n = result.objects.filter((o) => o.kind === kind).length;
    return n ? [`${n} ${kind}${n === 1 ? '' : 's'}`] : [];
  });
}

/** `sluice validate [PATH...]`: checks pipeline files; exit 0 valid, 1 invalid, 2 usage. */
export function validateCommand(): Command {
  return (
    new Command('validate')
      .description('check pipeline files (and Flagger / Argo files Sluice converts) against the schemas')
      // Subcommands added with addCommand do not inherit exitOverride; without it a bad option exits 1, not 2.
      .exitOverride()
      .argument('[paths...]', 'files or folders (searched for *.yaml and *.yml)', ['.'])
      .addOption(
        new Option('-o, --output <format>', 'table, json or yaml')
          .choices(['table', 'json', 'yaml'])
          .default('table'),
      )
      .option('--max-file-bytes <n>', 'largest file read, in bytes', (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
        return n;
      })
      .action(async (paths: string[], opts: { output: 'table' | 'json' | 'yaml'; maxFileBytes?: number }) => {
        const result = await validatePaths(
          paths,
          opts.maxFileBytes ? { maxFileBytes: opts.maxFileBytes } : {},
        );
        if (opts.output !== 'table') printStructured(validationReport(result), opts.output);
        else {
          for (const w of result.warnings) process.stderr.write(`warning: ${formatLoadError(w)}\n`);
          for (const e of result.errors) console.log(formatLoadError(e));
          if (result.errors.length === 0) for (const line of summary(result)) console.log(line);
          if (result.ignored.length)
            process.stderr.write(
              `ignored ${result.ignored.length} document(s) that are not pipeline files (-o json lists them)\n`,
            );
        }
        if (result.errors.length) {
          process.stderr.write(`${result.errors.length} error(s)\n`);
          process.exitCode = ExitCode.failure;
        }
      })
  );
}
