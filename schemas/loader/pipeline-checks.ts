// Checks of a schema-valid Pipeline that JSON Schema cannot express: step plugins that exist, their
// inputs, step names unique across groups and onFailure, and every `${{ }}` expression parsing and
// referring to something that exists before the step runs (an earlier step's declared output, a
// trigger field). Each problem is an Issue, reported as `file:line:col: field: message (hint)`.

import { didYouMean } from '../../core/did-you-mean.js';
import {
  conditionSource,
  ExpressionError,
  expressionRoots,
  parseExpression,
  referencesOf,
  templateExpressions,
} from '../../core/pipeline/expressions.js';
import { checkStepInputs, stepPlugin, unknownStepMessage } from '../../core/steps/catalogue.js';
import type { Candidate } from './candidate.js';
import { defaultNamespace } from './compat/context.js';
import { fieldIssue, type Issue } from './issue.js';
import { formatPath, type Path, valueAt } from './path.js';

/** Fields every run's `trigger` has (some only for some trigger kinds: they are empty otherwise). */
export const triggerFields = [
  'kind',
  'by',
  'revision',
  'application',
  'project',
  'repository',
  'time',
  'inputs',
  'image',
];
/** Fields of `run`. */
export const runFields = ['id', 'workflowId', 'failedStep', 'attempt'];
/** Fields of `pipeline`. */
export const pipelineFields = ['name', 'namespace'];

interface StepDecl {
  name: string;
  uses?: string;
  path: Path;
  /** Names a step may read: steps declared before it (not its parallel siblings). */
  visible: Set<string>;
}

const issue = fieldIssue;

/** Lists every step and group with the names visible to it, in run order. */
function declarations(spec: unknown): { steps: StepDecl[]; groups: Map<string, Path> } {
  const steps: StepDecl[] = [];
  const groups = new Map<string, Path>();
  const seen = new Set<string>();
  const main = valueAt(spec, ['steps']);
  (Array.isArray(main) ? main : []).forEach((s, i) => {
    const path: Path = ['spec', 'steps', i];
    const name = String(valueAt(s, ['name']));
    const parallel = valueAt(s, ['parallel']);
    if (Array.isArray(parallel)) {
      groups.set(name, path);
      const visible = new Set(seen);
      parallel.forEach((p, j) => {
        steps.push({
          name: String(valueAt(p, ['name'])),
          uses: valueAt(p, ['uses']) as string,
          path: [...path, 'parallel', j],
          visible,
        });
      });
      for (const p of parallel) seen.add(String(valueAt(p, ['name'])));
    } else steps.push({ name, uses: valueAt(s, ['uses']) as string, path, visible: new Set(seen) });
    seen.add(name);
  });
  const onFailure = valueAt(spec, ['onFailure']);
  (Array.isArray(onFailure) ? onFailure : []).forEach((s, i) => {
    const name = String(valueAt(s, ['name']));
    steps.push({
      name,
      uses: valueAt(s, ['uses']) as string,
      path: ['spec', 'onFailure', i],
      visible: new Set(seen),
    });
    seen.add(name);
  });
  return { steps, groups };
}

/** Every string inside a value with its path (objects and arrays walked). */
function strings(value: unknown, path: Path): { path: Path; text: string }[] {
  if (typeof value === 'string') return [{ path, text: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, [...path, i]));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => strings(v, [...path, k]));
  return [];
}

/** Problems with one expression's references, as messages. */
function referenceProblems(
  source: string,
  decl: StepDecl,
  byName: Map<string, StepDecl>,
  groups: Map<string, Path>,
): { message: string; hint?: string }[] {
  const out: { message: string; hint?: string }[] = [];
  let refs: { path: string[] }[];
  try {
    refs = referencesOf(parseExpression(source));
  } catch (err) {
    if (err instanceof ExpressionError) return [{ message: `\${{${source}}}: ${err.message}` }];
    throw err;
  }
  for (const { path } of refs) {
    const [root, key, part, output] = path;
    const shown = path.join('.');
    const fail = (message: string, candidates?: string[], word?: string) => {
      const hint = candidates && word !== undefined ? didYouMean(word, candidates) : undefined;
      out.push({ message: `${shown}: ${message}`, ...(hint ? { hint } : {}) });
    };
    if (!(expressionRoots as readonly string[]).includes(root as string)) {
      fail(
        `unknown name "${root}": expressions start with ${expressionRoots.join(', ')}`,
        [...expressionRoots],
        root,
      );
      continue;
    }
    const fields = root === 'trigger' ? triggerFields : root === 'run' ? runFields : pipelineFields;
    if (root !== 'steps') {
      if (key !== undefined && !fields.includes(key))
        fail(`${root} has no field "${key}" (fields: ${fields.join(', ')})`, fields, key);
      continue;
    }
    if (key === undefined) {
      fail('name a step: steps.<name>.outputs.<key> or steps.<name>.outcome');
      continue;
    }
    if (key === decl.name) {
      fail('a step cannot read its own outputs');
      continue;
    }
    const target = byName.get(key);
    if (!target && !groups.has(key)) {
      fail(`no step named "${key}" in this Pipeline`, [...byName.keys(), ...groups.keys()], key);
      continue;
    }
    if (!decl.visible.has(key)) {
      fail(`step "${key}" has not run yet when "${decl.name}" runs (a step reads only earlier steps)`);
      continue;
    }
    if (part !== 'outputs' && part !== 'outcome') {
      fail('use steps.<name>.outputs.<key> or steps.<name>.outcome', ['outputs', 'outcome'], part ?? '');
      continue;
    }
    if (part === 'outcome') continue;
    if (!target) {
      fail(`"${key}" is a parallel group: read the outputs of its steps instead`);
      continue;
    }
    if (output === undefined) continue;
    const message = target.uses ? unknownStepMessage(target.uses) : 'no plugin';
    if (message || !target.uses) continue; // reported on that step already
    const declared = Object.keys(stepPlugin(target.uses).outputs);
    if (!declared.includes('*') && !declared.includes(output))
      fail(
        `the ${target.uses} step "${key}" has no output "${output}" (outputs: ${declared.join(', ') || 'none'})`,
        declared,
        output,
      );
  }
  return out;
}

/** Names of the AlertProviders in a namespace, from every candidate. */
function alertProviders(all: Candidate[], ns: string): string[] {
  return all
    .filter(
      (c) =>
        c.kind === 'AlertProvider' &&
        (valueAt(c.value, ['metadata', 'namespace']) ?? defaultNamespace) === ns,
    )
    .map((c) => String(valueAt(c.value, ['metadata', 'name'])));
}

/** Every problem of a schema-valid Pipeline candidate (none for other kinds). */
export function checkPipeline(c: Candidate, all: Candidate[] = []): Issue[] {
  if (c.kind !== 'Pipeline') return [];
  const spec = valueAt(c.value, ['spec']);
  const ns = String(valueAt(c.value, ['metadata', 'namespace']) ?? defaultNamespace);
  const { steps, groups } = declarations(spec);
  const issues: Issue[] = [];
  const byName = new Map<string, StepDecl>();
  const firstOf = new Map<string, Path>();
  const note = (name: string, path: Path) => {
    const first = firstOf.get(name);
    // Two top-level steps with one name are cross-refs.ts' to report.
    const bothTop =
      first && first.length === 3 && path.length === 3 && first[1] === 'steps' && path[1] === 'steps';
    if (first && !bothTop)
      issues.push(
        issue([...path, 'name'], `step name ${JSON.stringify(name)} is already used by ${formatPath(first)}`),
      );
    if (!first) firstOf.set(name, path);
  };
  for (const [name, path] of groups) note(name, path);
  for (const s of steps) {
    note(s.name, s.path);
    if (!byName.has(s.name)) byName.set(s.name, s);
  }
  const providers = alertProviders(all, ns);
  for (const s of steps) {
    const step = valueAt(c.value, s.path) as Record<string, unknown>;
    const message = unknownStepMessage(String(s.uses));
    if (message) issues.push(issue([...s.path, 'uses'], message));
    else {
      const plugin = stepPlugin(String(s.uses));
      const inputs = (step.with ?? {}) as Record<string, unknown>;
      for (const p of checkStepInputs(plugin, inputs)) {
        const present = inputs[p.field] !== undefined;
        const field = present ? [...s.path, 'with', p.field] : [...s.path, step.with ? 'with' : 'uses'];
        // Point at an unknown input's key, at a wrong input's value, at `with` for a missing one.
        const prefer = !present || !plugin.inputs[p.field] ? 'key' : 'value';
        issues.push(issue(field, p.message, p.hint, prefer));
      }
      const provider = inputs.provider;
      if (
        plugin.name === 'alert' &&
        typeof provider === 'string' &&
        !provider.includes('${{') &&
        !providers.includes(provider)
      )
        issues.push(
          issue(
            [...s.path, 'with', 'provider'],
            `AlertProvider ${JSON.stringify(provider)} not found in namespace ${JSON.stringify(ns)}`,
            didYouMean(provider, providers),
          ),
        );
    }
    const texts = strings(step.with, [...s.path, 'with']);
    for (const t of texts)
      for (const e of templateExpressions(t.text))
        for (const p of referenceProblems(e.source, s, byName, groups))
          issues.push(issue(t.path, p.message, p.hint));
    if (typeof step.if === 'string')
      for (const p of referenceProblems(conditionSource(step.if), s, byName, groups))
        issues.push(issue([...s.path, 'if'], p.message, p.hint));
  }
  const alerts = valueAt(spec, ['alerts']);
  (Array.isArray(alerts) ? alerts : []).forEach((a, i) => {
    const name = valueAt(a, ['providerRef', 'name']);
    const inNs = String(valueAt(a, ['providerRef', 'namespace']) ?? ns);
    const known = inNs === ns ? providers : alertProviders(all, inNs);
    if (typeof name === 'string' && !known.includes(name))
      issues.push(
        issue(
          ['spec', 'alerts', i, 'providerRef', 'name'],
          `AlertProvider ${JSON.stringify(name)} not found in namespace ${JSON.stringify(inNs)}`,
          didYouMean(name, known),
        ),
      );
  });
  for (const [name, path] of groups) {
    const cond = valueAt(c.value, [...path, 'if']);
    const decl: StepDecl = { name, path, visible: byName.get(firstStepOf(c, path))?.visible ?? new Set() };
    if (typeof cond === 'string')
      for (const p of referenceProblems(conditionSource(cond), decl, byName, groups))
        issues.push(issue([...path, 'if'], p.message, p.hint));
  }
  return issues;
}

function firstStepOf(c: Candidate, groupPath: Path): string {
  return String(valueAt(c.value, [...groupPath, 'parallel', 0, 'name']));
}
