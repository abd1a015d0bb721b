import { stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { Command } from 'commander';
import { stringify } from 'yaml';
import type { TrafficProviderName } from '../../core/traffic/providers.js';
import { formatLoadError, loadPipelineFiles, readSourceFiles } from '../../schemas/loader/index.js';
import type { IgnoredDocument } from '../../schemas/loader/types.js';
import { writeConversion } from '../convert-out.js';
import { type DocumentReport, documentReports } from '../convert-report.js';
import { defaultProviderFrom, withDefaultProviderOptions } from '../default-provider.js';
import { CliError, ExitCode } from '../errors.js';
import { pipelineFilesAt } from './validate.js';

// Kinds teams bring along that Sluice does not convert: named, so a skipped file says what it was.
const FLUX_GROUPS = /\.toolkit\.fluxcd\.io\//;

/** Why a document was not converted, in words a Flux or Argo CD user recognises. */
export function skippedWhy(d: IgnoredDocument): string {
  if (d.apiVersion && FLUX_GROUPS.test(d.apiVersion))
    return `Flux ${d.kind ?? 'object'}: not converted (Sluice converts Flux Kustomization, HelmRelease, GitRepository, HelmRepository, OCIRepository, Alert and Provider)`;
  return d.reason.replace(/^line \d+: /, '');
}

/** "file:line: Kind name (apiVersion)" for a skipped document. */
function skippedWhere(d: IgnoredDocument): string {
  const what = [d.kind, d.name].filter(Boolean).join(' ');
  return `${d.file}${d.line ? `:${d.line}` : ''}${what ? `: ${what}` : ''}${d.apiVersion ? ` (${d.apiVersion})` : ''}`;
}

/** One stderr line per converted document: its outcome and what it became. */
function outcomeLine(d: DocumentReport): string {
  return `${d.outcome}: ${d.file}:${d.line}: ${d.what}${d.became.length ? ` → ${d.became.join(', ')}` : ''}\n`;
}

/** Reads and converts the files at paths (folders searched), keeping their text for the report. */
async function load(paths: string[], exclude?: string, defaultProvider?: TrafficProviderName) {
  const { files } = await pipelineFilesAt(paths);
  // DIR2 may sit inside DIR (convert . --out sluice): its files are output, not input.
  const root = exclude === undefined ? undefined : resolve(exclude) + sep;
  const read = await readSourceFiles(
    files.filter((p) => root === undefined || !(resolve(p) + sep).startsWith(root)),
    (p) => p,
  );
  // Sets are translated, not expanded: their generators' inputs (Git trees, clusters) are the worker's.
  const result = loadPipelineFiles(read.files, {
    skipGenerators: true,
    ...(defaultProvider ? { defaultProvider } : {}),
  });
  result.errors.unshift(...read.errors);
  return { result, reports: documentReports(read.files, result), unread: read.errors.length };
}

/** `sluice convert DIR --out DIR2`: the whole tree, written as files beside a report. */
async function convertTree(
  dir: string,
  out: string,
  opts: { force?: boolean; allowSkipped?: boolean; defaultProvider?: TrafficProviderName },
) {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory())
    throw new CliError(`${dir}: not a folder`, 'with --out, give the one folder to convert', ExitCode.usage);
  const { result, reports, unread } = await load([dir], out, opts.defaultProvider);
  const written = await writeConversion(dir, out, reports, result, opts.force === true);
  for (const d of reports)
    if (d.outcome !== 'kept' && d.outcome !== 'sluice') process.stderr.write(outcomeLine(d));
  // A file too large to read is refused as a whole.
  const refused = reports.filter((d) => d.outcome === 'refused').length + unread;
  const skipped = reports.filter((d) => d.outcome === 'skipped').length;
  process.stderr.write(
    `wrote ${written.length} file(s) to ${out} (report: ${written.at(-1)}); ${refused} refused, ${skipped} skipped\n`,
  );
  if (refused || (skipped && !opts.allowSkipped)) process.exitCode = ExitCode.failure;
}

/** `sluice convert FILE...`: Flagger / Argo CD / Argo Rollouts / Flux YAML to Sluice pipeline files. */
export function convertCommand(): Command {
  return withDefaultProviderOptions(new Command('convert'))
    .description(
      'convert Flagger (Canary, MetricTemplate, AlertProvider), Argo CD (Application, ApplicationSet, AppProject), Argo Rollouts (Rollout, AnalysisTemplate) and Flux (Kustomization, HelmRelease, sources, Alert, Provider) YAML to Sluice YAML on stdout, or with --out a whole folder to files; notes on stderr',
    )
    .argument(
      '<paths...>',
      'files or folders (searched for *.yaml and *.yml); converted together so references resolve',
    )
    .option(
      '--out <dir>',
      'convert the one folder given into DIR: same relative paths, plus sluice-convert-report.md',
    )
    .option('--force', 'with --out, overwrite files that exist in DIR')
    .option('--allow-skipped', 'exit 0 even when some documents were skipped (still listed on stderr)')
    .addHelpText(
      'after',
      '\nEach document that is not converted is listed on stderr with file, line, kind and name (Flux kinds\nwithout a converter, plain Kubernetes objects, anything unknown; an Argo CD ApplicationSet generator Sluice lacks\n(scmProvider, pullRequest, clusterDecisionResource, plugin, merge) is refused naming the field), and each converted\none as converted, converted with warnings, or refused.\n\nWith --out, files holding a converted document are written to DIR under the same relative path: converted\ndocuments replaced by their Sluice objects (and, for an Argo Rollout with a pod template, its Deployment),\nother documents kept as written; plain Kubernetes objects are kept, not skipped. Nothing is written outside DIR\nand nothing is overwritten without --force.\n\nExit: 0 everything converted, 1 a document could not be converted (refused) or was skipped (unless\n--allow-skipped), 2 bad usage.',
    )
    .action(
      async (
        paths: string[],
        opts: { allowSkipped?: boolean; out?: string; force?: boolean; provider?: string; config?: string },
      ) => {
        const defaultProvider = defaultProviderFrom(opts);
        if (opts.out !== undefined) {
          if (paths.length !== 1)
            throw new CliError(
              '--out converts exactly one folder',
              'give one folder: sluice convert DIR --out DIR2',
              ExitCode.usage,
            );
          await convertTree(paths[0] as string, opts.out, { ...opts, defaultProvider });
          return;
        }
        if (opts.force) throw new CliError('--force only applies with --out', undefined, ExitCode.usage);
        const { result, reports } = await load(paths, undefined, defaultProvider);
        for (const w of result.warnings) process.stderr.write(`note: ${formatLoadError(w)}\n`);
        for (const e of result.errors) process.stderr.write(`error: ${formatLoadError(e)}\n`);
        // An empty file or document holds nothing to convert: not worth a line.
        const skipped = result.ignored.filter((d) => d.reason !== 'empty file');
        for (const d of skipped) process.stderr.write(`skipped: ${skippedWhere(d)}: ${skippedWhy(d)}\n`);
        for (const c of result.converted ?? []) {
          const objects = result.objects.filter((o) => o.source.file === c.file && o.source.line === c.line);
          for (const { source, ...object } of objects)
            process.stdout.write(`---\n# from ${source.file}:${source.line}\n${stringify(object)}`);
          for (const m of c.manifests)
            process.stdout.write(`---\n# made from ${c.file}:${c.line}\n${stringify(m)}`);
        }
        for (const { source, ...object } of result.objects.filter(
          (o) => !(result.converted ?? []).some((c) => c.file === o.source.file && c.line === o.source.line),
        ))
          process.stdout.write(`---\n# from ${source.file}:${source.line}\n${stringify(object)}`);
        for (const d of reports) if (d.converted) process.stderr.write(outcomeLine(d));
        const manifests = (result.converted ?? []).reduce((n, c) => n + c.manifests.length, 0);
        const counts = [
          `${result.objects.length} converted`,
          ...(manifests ? [`${manifests} Deployment(s) made from pod templates`] : []),
          ...(skipped.length ? [`${skipped.length} skipped`] : []),
          ...(result.errors.length ? [`${result.errors.length} error(s)`] : []),
        ];
        if (result.errors.length || skipped.length) process.stderr.write(`${counts.join(', ')}\n`);
        if (result.errors.length || (skipped.length && !opts.allowSkipped))
          process.exitCode = ExitCode.failure;
      },
    );
}
