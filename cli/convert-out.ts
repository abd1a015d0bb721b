// `sluice convert DIR --out DIR2`: one output file per input file that holds something converted (same
// relative path), with converted documents replaced by their Sluice objects and everything else kept as
// written, and a Markdown report beside them. Nothing is written outside DIR2, nothing is overwritten
// without --force, and no file is written until every target has been checked.
import { lstat, mkdir, realpath, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { stringify } from 'yaml';
import { formatLoadError, type LoadResult } from '../schemas/loader/index.js';
import type { DocumentReport } from './convert-report.js';
import { CliError, ExitCode } from './errors.js';

/** Name of the report written into DIR2. */
export const reportFileName = 'sluice-convert-report.md';

/** The converted text of one input file's documents. */
function convertedText(docs: DocumentReport[], result: LoadResult): string {
  const parts: string[] = [];
  for (const d of docs) {
    if (d.outcome === 'refused') {
      parts.push(`# sluice convert refused ${d.what} (line ${d.line}): see ${reportFileName}\n`);
      continue;
    }
    if (!d.converted) {
      parts.push(d.text.endsWith('\n') ? d.text : `${d.text}\n`);
      continue;
    }
    const objects = result.objects.filter(
      (o) => o.source.file === d.file && o.source.line === d.converted?.line,
    );
    for (const { source, ...o } of objects)
      parts.push(`# converted from ${d.what} (line ${source.line})\n${stringify(o)}`);
    for (const m of d.converted.manifests)
      parts.push(`# made from ${d.what} (its pod template)\n${stringify(m)}`);
  }
  return parts.map((p) => p.replace(/^---\n/, '')).join('---\n');
}

/** The path inside outDir for an input file, refusing anything that would leave it. */
function target(inputDir: string, outDir: string, file: string): string {
  const rel = relative(inputDir, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel))
    throw new CliError(`${file} is not inside ${inputDir}`, undefined, ExitCode.usage);
  const out = resolve(outDir, rel);
  if (!out.startsWith(resolve(outDir) + sep))
    throw new CliError(`refusing to write ${out}: outside ${outDir}`, undefined, ExitCode.usage);
  return out;
}

/** Refuses a target that exists (without force) or is a symbolic link, or whose folder leads out of outDir. */
async function checkTarget(outDir: string, path: string, force: boolean): Promise<void> {
  const info = await lstat(path).catch(() => undefined);
  if (info?.isSymbolicLink())
    throw new CliError(`refusing to write ${path}: it is a symbolic link`, undefined, ExitCode.usage);
  if (info && !force)
    throw new CliError(
      `${path} exists`,
      'pass --force to overwrite the files sluice convert writes',
      ExitCode.usage,
    );
  // A folder on the way that is a link could lead outside outDir: compare real paths of what exists.
  let dir = dirname(path);
  while (!(await lstat(dir).catch(() => undefined))) dir = dirname(dir);
  const [real, root] = [await realpath(dir), await realpath(outDir)];
  if (real !== root && !real.startsWith(root + sep))
    throw new CliError(
      `refusing to write ${path}: ${dir} leads outside ${outDir}`,
      undefined,
      ExitCode.usage,
    );
}

/** Writes the converted files and the report; returns the paths written. */
export async function writeConversion(
  inputDir: string,
  outDir: string,
  reports: DocumentReport[],
  result: LoadResult,
  force: boolean,
): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const byFile = new Map<string, DocumentReport[]>();
  for (const d of reports) byFile.set(d.file, [...(byFile.get(d.file) ?? []), d]);
  const writes: [string, string][] = [];
  for (const [file, docs] of byFile)
    if (docs.some((d) => d.converted))
      writes.push([target(inputDir, outDir, file), convertedText(docs, result)]);
  writes.push([join(outDir, reportFileName), markdownReport(inputDir, reports, result)]);
  for (const [path] of writes) await checkTarget(outDir, path, force);
  for (const [path, text] of writes) {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text, { flag: force ? 'w' : 'wx' });
  }
  return writes.map(([p]) => p);
}

/** Text safe inside a Markdown table cell. */
const cell = (s: string) => s.replace(/[|\n]/g, ' ');

/** The Markdown report: a summary line, then each document with its outcome and messages. */
export function markdownReport(inputDir: string, reports: DocumentReport[], result: LoadResult): string {
  const count = (o: string) => reports.filter((d) => d.outcome === o).length;
  const lines = [
    `# sluice convert report for ${inputDir}`,
    '',
    `${count('converted')} converted, ${count('converted with warnings')} converted with warnings, ${count('refused')} refused, ${count('skipped')} skipped, ${count('kept')} kept as written, ${count('sluice')} already Sluice.`,
    '',
    '| File | Line | Document | Outcome | Became |',
    '| --- | --- | --- | --- | --- |',
    ...reports.map(
      (d) =>
        `| ${cell(relative(inputDir, d.file))} | ${d.line} | ${cell(d.what)} | ${d.outcome} | ${cell(d.became.join(', ')) || '—'} |`,
    ),
  ];
  const noted = reports.filter((d) => d.errors.length || d.warnings.length || d.outcome === 'skipped');
  if (noted.length) lines.push('', '## Findings', '');
  for (const d of noted) {
    lines.push(`### ${relative(inputDir, d.file)}:${d.line} ${d.what} (${d.outcome})`, '');
    if (d.outcome === 'skipped') lines.push('- skipped: Sluice has no converter for this kind');
    for (const e of d.errors) lines.push(`- error: ${formatLoadError(e)}`);
    for (const w of d.warnings) lines.push(`- warning: ${formatLoadError(w)}`);
    lines.push('');
  }
  const elsewhere = result.errors.filter((e) => !reports.some((d) => d.errors.includes(e)));
  if (elsewhere.length)
    lines.push('## Other errors', '', ...elsewhere.map((e) => `- ${formatLoadError(e)}`), '');
  return `${lines.join('\n')}\n`;
}
