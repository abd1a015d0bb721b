import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Command, Option } from 'commander';
import type { TrafficProviderName } from '../../core/traffic/providers.js';
import { sluiceKinds } from '../../schemas/kinds.js';
import type { GeneratorCluster } from '../../schemas/loader/app-sets/inputs.js';
import {
  findPipelineFiles,
  formatLoadError,
  type LoadResult,
  loadPipelineFiles,
  readSourceFiles,
} from '../../schemas/loader/index.js';
import { defaultProviderFrom, withDefaultProviderOptions } from '../default-provider.js';
import { CliError, ExitCode } from '../errors.js';
import { parsePositiveInt } from '../flags.js';
import { checkoutRoot, localGeneratorInputs } from '../local-generator-inputs.js';
import { printStructured } from '../output.js';

/** The pipeline files at paths (files as given, folders searched for *.yaml / *.yml), and the folder of the first. */
export async function pipelineFilesAt(paths: string[]): Promise<{ files: string[]; firstFolder?: string }> {
  const files: string[] = [];
  let firstFolder: string | undefined;
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info)
      throw new CliError(
        `${path}: no such file or directory`,
        'give files or folders of pipeline files',
        ExitCode.usage,
      );
    files.push(...(info.isDirectory() ? await findPipelineFiles(path) : [path]));
    firstFolder ??= info.isDirectory() ? path : dirname(path);
  }
  return { files: [...new Set(files)], firstFolder };
}

/** Loads the pipeline files at paths (files, or folders searched for *.yaml / *.yml) together, so
 * references between them resolve; reported paths are as given, joined with the file's place in a folder. */
export async function validatePaths(
  paths: string[],
  opts: {
    maxFileBytes?: number;
    skipGenerators?: boolean;
    repoUrl?: string;
    clusters?: GeneratorCluster[];
    defaultProvider?: TrafficProviderName;
  } = {},
): Promise<LoadResult> {
  const { files, firstFolder } = await pipelineFilesAt(paths);
  // ApplicationSets' git generators read the checkout the first path is in.
  const root = firstFolder === undefined ? undefined : checkoutRoot(firstFolder);
  const read = await readSourceFiles(files, (p) => p, opts);
  const generators = opts.skipGenerators
    ? undefined
    : await localGeneratorInputs(read.files, { root: root ?? '.', ...opts });
  const result = loadPipelineFiles(read.files, { ...opts, ...(generators ? { generators } : {}) });
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
      ...(o.generatedBy ? { generatedBy: { set: o.generatedBy.set, element: o.generatedBy.element } } : {}),
    })),
    errors: result.errors,
    warnings: result.warnings,
    ignored: result.ignored,
  };
}

/** "prod-eu,env=prod,region=eu" as a cluster name and labels. */
function parseCluster(value: string): GeneratorCluster {
  const [name = '', ...pairs] = value.split(',');
  const labels = Object.fromEntries(
    pairs.map((p) => {
      const eq = p.indexOf('=');
      if (eq <= 0)
        throw new CliError(
          `--cluster ${value}: labels are key=value`,
          'e.g. --cluster prod-eu,env=prod',
          ExitCode.usage,
        );
      return [p.slice(0, eq), p.slice(eq + 1)];
    }),
  );
  return { name, ...(pairs.length ? { labels } : {}) };
}

/** One line per kind found, e.g. "2 Rollouts". */
function summary(result: LoadResult): string[] {
  return sluiceKinds.flatMap((kind) => {
    const n = result.objects.filter((o) => o.kind === kind).length;
    return n ? [`${n} ${kind}${n === 1 ? '' : 's'}`] : [];
  });
}

/** One line per ApplicationSet: how many Applications it generates, and their names. */
export function generatedSummary(result: LoadResult): string[] {
  return result.objects
    .filter((o) => o.kind === 'ApplicationSet')
    .map((set) => {
      const key = `${set.metadata.namespace ?? 'default'}/${set.metadata.name}`;
      const names = result.objects.filter((o) => o.generatedBy?.set === key).map((o) => o.metadata.name);
      const list = names.length ? `: ${names.join(', ')}` : '';
      return `ApplicationSet ${set.metadata.name} (${set.source.file}:${set.source.line}) generates ${names.length} Application${names.length === 1 ? '' : 's'}${list}`;
    });
}

interface ValidateOptions {
  output: 'table' | 'json' | 'yaml';
  maxFileBytes?: number;
  provider?: string;
  config?: string;
  repoUrl?: string;
  cluster?: string[];
}

/** `sluice validate [PATH...]`: checks pipeline files; exit 0 valid, 1 invalid, 2 usage. */
export function validateCommand(): Command {
  return withDefaultProviderOptions(
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
      .option('--max-file-bytes <n>', 'largest file read, in bytes', parsePositiveInt)
      .option(
        '--repo-url <url>',
        'URL of the checkout for ApplicationSet git generators (default its origin)',
      )
      .option(
        '--cluster <name[,label=value...]>',
        'a cluster an ApplicationSet clusters generator yields besides in-cluster (repeatable)',
        (v: string, all: string[] = []) => [...all, v],
      )
      .addHelpText(
        'after',
        '\nApplicationSets are expanded as the worker does: git generators read the checkout the first path is in\n(symlinks left out), clusters generators yield in-cluster and each --cluster. The table lists each set\nwith the Applications it generates; -o json marks them with generatedBy.',
      )
      .action(async (paths: string[], opts: ValidateOptions) => {
        const defaultProvider = defaultProviderFrom(opts);
        const result = await validatePaths(paths, {
          ...(defaultProvider ? { defaultProvider } : {}),
          ...(opts.maxFileBytes ? { maxFileBytes: opts.maxFileBytes } : {}),
          ...(opts.repoUrl ? { repoUrl: opts.repoUrl } : {}),
          clusters: (opts.cluster ?? []).map(parseCluster),
        });
        if (opts.output !== 'table') printStructured(validationReport(result), opts.output);
        else {
          for (const w of result.warnings) process.stderr.write(`warning: ${formatLoadError(w)}\n`);
          for (const e of result.errors) console.log(formatLoadError(e));
          if (result.errors.length === 0)
            for (const line of [...summary(result), ...generatedSummary(result)]) console.log(line);
          if (result.ignored.length)
            process.stderr.write(
              `ignored ${result.ignored.length} document(s) that are not pipeline files (-o json lists them)\n`,
            );
        }
        if (result.errors.length) {
          process.stderr.write(`${result.errors.length} error(s)\n`);
          process.exitCode = ExitCode.failure;
        }
      }),
  );
}
