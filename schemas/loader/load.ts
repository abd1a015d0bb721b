// loadPipelineFiles: parse every file, sort documents into Sluice, convertible and ignored ones,
// convert, validate against the schemas, check what each object means (rules.ts), then check names
// and references across all files.

import { didYouMean } from '../../core/did-you-mean.js';
import { isSluiceKind, kindSchemas, sluiceApiVersion, sluiceKinds } from '../kinds.js';
import { validateKind } from './ajv.js';
import { type Candidate, errorIn, errorOf } from './candidate.js';
import { type CompatContext, defaultNamespace } from './compat/context.js';
import { Conversion } from './compat/conversion.js';
import { compatApiVersions, compatKind } from './compat/registry.js';
import { checkCrossRefs } from './cross-refs.js';
import type { Issue } from './issue.js';
import { describeErrors } from './messages.js';
import { type ParsedDocument, parseFile } from './parse.js';
import { type Path, valueAt } from './path.js';
import { checkPipeline } from './pipeline-checks.js';
import { checkRules } from './rules.js';
import type { LoadError, LoadOptions, LoadResult, SluiceObject, SourceFile } from './types.js';

function compatContext(docs: ParsedDocument[]): CompatContext {
  const analysisTemplates = new Map<string, ParsedDocument>();
  for (const d of docs) {
    if (valueAt(d.value, ['apiVersion']) !== 'argoproj.io/v1alpha1') continue;
    const kind = valueAt(d.value, ['kind']);
    const name = valueAt(d.value, ['metadata', 'name']);
    const ns = valueAt(d.value, ['metadata', 'namespace']) ?? defaultNamespace;
    if (kind === 'AnalysisTemplate') analysisTemplates.set(`${ns}/${name}`, d);
    if (kind === 'ClusterAnalysisTemplate') analysisTemplates.set(`cluster/${name}`, d);
  }
  return { analysisTemplates };
}

/** Sorts one document: a Sluice candidate, converted candidates, an error, or a reason to ignore it. */
function classify(d: ParsedDocument, ctx: CompatContext, result: LoadResult): Candidate[] {
  const ignore = (reason: string) => {
    result.ignored.push({ file: d.file, reason: `line ${d.line}: ${reason}` });
    return [];
  };
  if (d.value === null || typeof d.value !== 'object' || Array.isArray(d.value))
    return ignore('not a mapping');
  const value = d.value as Record<string, unknown>;
  const { apiVersion, kind } = value;
  if (typeof apiVersion !== 'string') return ignore('no apiVersion');
  if (apiVersion === sluiceApiVersion) {
    if (isSluiceKind(kind)) return [{ kind, value, doc: d }];
    const hint = typeof kind === 'string' ? didYouMean(kind, sluiceKinds) : undefined;
    const message = `unknown Sluice kind ${JSON.stringify(kind)}: expected one of ${sluiceKinds.join(', ')}`;
    result.errors.push(
      errorIn(d, { field: ['kind'], at: ['kind'], prefer: 'value', message, ...(hint ? { hint } : {}) }),
    );
    return [];
  }
  if (apiVersion.startsWith('sluice.dev/')) {
    const message = `unsupported apiVersion ${JSON.stringify(apiVersion)}: this Sluice reads ${sluiceApiVersion}`;
    result.errors.push(errorIn(d, { field: ['apiVersion'], at: ['apiVersion'], prefer: 'value', message }));
    return [];
  }
  const compat = typeof kind === 'string' ? compatKind(apiVersion, kind) : undefined;
  if (!compat) {
    if (compatApiVersions.has(apiVersion))
      return ignore(`${apiVersion} ${String(kind)} has no Sluice equivalent`);
    return ignore(`apiVersion ${apiVersion} is not a Sluice one`);
  }
  const c = new Conversion(d, compat.label);
  compat.convert(c, ctx);
  for (const issue of c.issues)
    (issue.severity === 'error' ? result.errors : result.warnings).push(errorIn(issue.doc ?? d, issue));
  const reported = c.issues.filter((i) => i.severity === 'error' && !i.doc).map((i) => i.field);
  return c.objects.map((o) => ({ kind: o.kind, value: o.value, doc: d, origin: o.origin, reported }));
}

/** Loads pipeline files from memory (no I/O): every error, with file, line, column and field. */
export function loadPipelineFiles(files: SourceFile[], opts: LoadOptions = {}): LoadResult {
  const result: LoadResult = { objects: [], errors: [], warnings: [], ignored: [] };
  const docs: ParsedDocument[] = [];
  for (const f of files) {
    const parsed = parseFile(f, opts);
    result.errors.push(...parsed.errors);
    result.warnings.push(...parsed.warnings);
    if (parsed.empty) result.ignored.push({ file: f.path, reason: 'empty file' });
    docs.push(...parsed.documents);
  }
  const ctx = compatContext(docs);
  const candidates = docs.flatMap((d) => classify(d, ctx, result));
  const valid: Candidate[] = [];
  for (const c of candidates) {
    const issues = describeErrors(validateKind(c.kind, c.value), c.value, kindSchemas[c.kind].schema);
    result.errors.push(...issues.filter((i) => !alreadyReported(c, i)).map((i) => errorOf(c, i)));
    if (issues.length === 0) valid.push(c);
  }
  const where = (c: Candidate) => {
    const e = errorOf(c, {
      field: ['metadata', 'name'],
      at: ['metadata', 'name'],
      prefer: 'value',
      message: '',
    });
    return `${e.file}:${e.line}:${e.col}`;
  };
  const ruleIssues = valid.flatMap((c) =>
    [...checkRules(c), ...checkPipeline(c, candidates)].map((issue) => ({ candidate: c, issue })),
  );
  const refIssues = checkCrossRefs(candidates, valid, where, opts.projects);
  const problems = [...ruleIssues, ...refIssues];
  result.errors.push(...problems.map(({ candidate, issue }) => errorOf(candidate, issue)));
  const broken = new Set(problems.map((r) => r.candidate));
  for (const c of valid)
    if (!broken.has(c))
      result.objects.push({ ...c.value, source: { file: c.doc.file, line: c.doc.line } } as SluiceObject);
  const order = new Map(files.map((f, i) => [f.path, i]));
  result.errors = sortByPlace(dedupe(result.errors), order);
  result.warnings = sortByPlace(dedupe(result.warnings), order);
  return result;
}

/** Orders problems as they appear: by file (in the order given), then line and column. */
function sortByPlace(errors: LoadError[], order: Map<string, number>): LoadError[] {
  return errors.sort(
    (a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) || a.line - b.line || a.col - b.col,
  );
}

const within = (path: Path, prefix: Path) => prefix.every((seg, i) => String(seg) === String(path[i]));

/** True when a converter already reported a problem at, above or inside the field a schema error names
 * (a missing annotation the converter explained, a step it could not convert): one cause, one message. */
function alreadyReported(c: Candidate, issue: Issue): boolean {
  if (!c.origin || !c.reported?.length) return false;
  const field = c.origin.resolve(issue.field);
  return c.reported.some((r) => within(field, r) || within(r, field));
}

/** Drops repeats (an AnalysisTemplate problem seen by two Rollouts), keeping file order. */
function dedupe(errors: LoadError[]): LoadError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const k = JSON.stringify([e.file, e.line, e.col, e.field, e.message]);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
