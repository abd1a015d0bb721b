// loadPipelineFiles: parse every file, sort documents into Sluice, convertible and ignored ones,
// convert, validate against the schemas, check what each object means (rules.ts), then check names
// and references across all files.

import { didYouMean } from '../../core/did-you-mean.js';
import { isSluiceKind, kindSchemas, sluiceApiVersion, sluiceKinds } from '../kinds.js';
import { validateKind } from './ajv.js';
import { expandSet } from './app-sets/expand.js';
import { type Candidate, errorIn, errorOf } from './candidate.js';
import { type CompatContext, defaultNamespace, groupOf, objectKey } from './compat/context.js';
import { Conversion } from './compat/conversion.js';
import { compatApiVersions, compatKind, convertedVersionsOf } from './compat/registry.js';
import { checkCrossRefs } from './cross-refs.js';
import { dependsOnIssues } from './depends-on.js';
import type { Issue } from './issue.js';
import { describeErrors } from './messages.js';
import { type ParsedDocument, parseFile } from './parse.js';
import { type Path, valueAt } from './path.js';
import { checkPipeline } from './pipeline-checks.js';
import { checkRules } from './rules.js';
import type { LoadError, LoadOptions, LoadResult, SluiceObject, SourceFile } from './types.js';

function compatContext(docs: ParsedDocument[], opts: LoadOptions): CompatContext {
  const analysisTemplates = new Map<string, ParsedDocument>();
  const objects = new Map<string, ParsedDocument>();
  for (const d of docs) {
    const id = [
      valueAt(d.value, ['apiVersion']),
      valueAt(d.value, ['kind']),
      valueAt(d.value, ['metadata', 'namespace']) ?? defaultNamespace,
      valueAt(d.value, ['metadata', 'name']),
    ];
    if (id.every((v) => typeof v === 'string')) {
      const [apiVersion, ...rest] = id as [string, string, string, string];
      objects.set(objectKey(groupOf(apiVersion), ...rest), d);
    }
    if (valueAt(d.value, ['apiVersion']) !== 'argoproj.io/v1alpha1') continue;
    const kind = valueAt(d.value, ['kind']);
    const name = valueAt(d.value, ['metadata', 'name']);
    const ns = valueAt(d.value, ['metadata', 'namespace']) ?? defaultNamespace;
    if (kind === 'AnalysisTemplate') analysisTemplates.set(`${ns}/${name}`, d);
    if (kind === 'ClusterAnalysisTemplate') analysisTemplates.set(`cluster/${name}`, d);
  }
  return {
    analysisTemplates,
    objects,
    ...(opts.defaultProvider ? { defaultProvider: opts.defaultProvider } : {}),
  };
}

/** Sorts one document: a Sluice candidate, converted candidates, an error, or a reason to ignore it. */
function classify(d: ParsedDocument, ctx: CompatContext, result: LoadResult): Candidate[] {
  const ignore = (reason: string) => {
    const v = (d.value ?? {}) as Record<string, unknown>;
    const name = valueAt(d.value, ['metadata', 'name']);
    result.ignored.push({
      file: d.file,
      reason: `line ${d.line}: ${reason}`,
      line: d.line,
      ...(typeof v.apiVersion === 'string' ? { apiVersion: v.apiVersion } : {}),
      ...(typeof v.kind === 'string' ? { kind: v.kind } : {}),
      ...(typeof name === 'string' ? { name } : {}),
    });
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
    // An older (or newer) version of a kind Sluice converts is a file the user expects converted: say so.
    const versions = typeof kind === 'string' ? convertedVersionsOf(apiVersion, kind) : [];
    if (versions.length) {
      const message = `${String(kind)} ${apiVersion} is not converted: Sluice reads ${String(kind)} as ${versions.join(' or ')}`;
      const hint = `upgrade the file to ${versions[0]}, as the tool's own upgrade does`;
      result.errors.push(
        errorIn(d, { field: ['apiVersion'], at: ['apiVersion'], prefer: 'value', message, hint }),
      );
      return [];
    }
    if (compatApiVersions.has(apiVersion))
      return ignore(`${apiVersion} ${String(kind)} has no Sluice equivalent`);
    return ignore(`apiVersion ${apiVersion} is not a Sluice one`);
  }
  const c = new Conversion(d, compat.label);
  compat.convert(c, ctx);
  const name = valueAt(value, ['metadata', 'name']);
  result.converted?.push({
    file: d.file,
    line: d.line,
    label: compat.label,
    ...(typeof name === 'string' ? { name } : {}),
    objects: c.objects.map((o) => ({ kind: o.kind, name: String(valueAt(o.value, ['metadata', 'name'])) })),
    manifests: c.manifests,
  });
  for (const issue of c.issues)
    (issue.severity === 'error' ? result.errors : result.warnings).push(errorIn(issue.doc ?? d, issue));
  const reported = c.issues.filter((i) => i.severity === 'error' && !i.doc).map((i) => i.field);
  return c.objects.map((o) => ({ kind: o.kind, value: o.value, doc: d, origin: o.origin, reported }));
}

/** A syntax error or duplicate key, as parseFile reports them (not a size limit). */
function isYamlError(e: LoadError): boolean {
  return e.message.startsWith('YAML syntax error') || e.message.startsWith('duplicate key');
}

/** Whether any line of the raw text sets apiVersion to a Sluice one or one Sluice converts. */
function declaresPipelineApiVersion(content: string): boolean {
  for (const m of content.matchAll(/^[\s-]*["']?apiVersion["']?\s*:\s*["']?([^\s"'#,}]+)/gm)) {
    const v = m[1] as string;
    if (v.startsWith('sluice.dev/') || compatApiVersions.has(v)) return true;
  }
  return false;
}

/** Loads pipeline files from memory (no I/O): every error, with file, line, column and field. */
export function loadPipelineFiles(files: SourceFile[], opts: LoadOptions = {}): LoadResult {
  const result: LoadResult = { objects: [], errors: [], warnings: [], ignored: [], converted: [] };
  const docs: ParsedDocument[] = [];
  for (const f of files) {
    const parsed = parseFile(f, opts);
    // A monorepo holds more than pipeline files (Helm templates are not YAML until rendered): a file that
    // does not parse is an error only when it declares an apiVersion Sluice reads.
    if (
      parsed.errors.length > 0 &&
      parsed.errors.every(isYamlError) &&
      !declaresPipelineApiVersion(f.content)
    ) {
      result.ignored.push({
        file: f.path,
        reason: 'not YAML, and it declares no Sluice, Flagger, Argo CD or Argo Rollouts apiVersion',
      });
      continue;
    }
    result.errors.push(...parsed.errors);
    result.warnings.push(...parsed.warnings);
    if (parsed.empty) result.ignored.push({ file: f.path, reason: 'empty file' });
    docs.push(...parsed.documents);
  }
  const ctx = compatContext(docs, opts);
  const candidates = docs.flatMap((d) => classify(d, ctx, result));
  const valid: Candidate[] = [];
  const check = (c: Candidate) => {
    const issues = describeErrors(validateKind(c.kind, c.value), c.value, kindSchemas[c.kind].schema);
    result.errors.push(...issues.filter((i) => !alreadyReported(c, i)).map((i) => errorOf(c, i)));
    if (issues.length === 0) valid.push(c);
  };
  for (const c of candidates) check(c);
  // Generated Applications after every written one: a name clash is reported at the set, and each is
  // checked as a hand-written Application is (schema, rules, names, references, Projects).
  const setIssues: { candidate: Candidate; issue: Issue }[] = [];
  const sets = opts.skipGenerators ? [] : valid.filter((c) => c.kind === 'ApplicationSet');
  for (const set of sets) {
    const { generated, issues } = expandSet(set, opts.generators ?? {});
    setIssues.push(...issues.map((issue) => ({ candidate: set, issue })));
    candidates.push(...generated);
    generated.forEach(check);
  }
  const where = (c: Candidate) => {
    const e = errorIn(c.doc, {
      field: ['metadata', 'name'],
      at: c.generated
        ? ['spec', 'template', 'metadata', 'name']
        : (c.origin?.resolve(['metadata', 'name']) ?? ['metadata', 'name']),
      prefer: 'value',
      message: '',
    });
    const by = c.generated ? ` (ApplicationSet ${c.generated.set}, ${c.generated.element})` : '';
    return `${e.file}:${e.line}:${e.col}${by}`;
  };
  const ruleIssues = valid.flatMap((c) =>
    [...checkRules(c, opts.defaultProvider), ...checkPipeline(c, candidates)].map((issue) => ({
      candidate: c,
      issue,
    })),
  );
  const refIssues = checkCrossRefs(candidates, valid, where, opts.projects);
  const at = (c: Candidate, path: Path) => {
    const e = errorOf(c, { field: path, at: path, prefer: 'value', message: '' });
    return `${e.file}:${e.line}`;
  };
  const dependencyIssues = dependsOnIssues(candidates, valid, at, opts.repoId);
  const problems = [...setIssues, ...ruleIssues, ...refIssues, ...dependencyIssues];
  result.errors.push(...problems.map(({ candidate, issue }) => errorOf(candidate, issue)));
  const broken = new Set(problems.map((r) => r.candidate));
  for (const c of valid)
    if (!broken.has(c))
      result.objects.push({
        ...withDefaultProvider(c, opts),
        source: { file: c.doc.file, line: c.doc.line },
        ...(c.generated ? { generatedBy: c.generated } : {}),
      } as SluiceObject);
  const order = new Map(files.map((f, i) => [f.path, i]));
  result.errors = sortByPlace(dedupe(result.errors), order);
  result.warnings = sortByPlace(dedupe(result.warnings), order);
  return result;
}

/**
 * A Rollout without spec.provider gets the administrator's default written in, so the application
 * workflow receives it in its desired state (never reads configuration at workflow time).
 */
function withDefaultProvider(c: Candidate, opts: LoadOptions): Record<string, unknown> {
  const spec = c.value.spec as Record<string, unknown> | undefined;
  if (c.kind !== 'Rollout' || !opts.defaultProvider || !spec || spec.provider !== undefined) return c.value;
  return { ...c.value, spec: { ...spec, provider: opts.defaultProvider } };
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
