// Checks that need every file: names unique per kind and namespace, and references that resolve.
import type { SluiceKind } from '../kinds.js';
import type { Candidate } from './candidate.js';
import { defaultNamespace } from './compat/context.js';
import { didYouMean } from './did-you-mean.js';
import type { Issue } from './issue.js';
import { type Path, valueAt } from './path.js';

/** An issue found on one candidate. */
export interface CandidateIssue {
  candidate: Candidate;
  issue: Issue;
}

function namespaceOf(c: Candidate): string {
  // Projects are not namespaced: one name space for all of them.
  if (c.kind === 'Project') return '';
  const ns = valueAt(c.value, ['metadata', 'namespace']);
  return typeof ns === 'string' ? ns : defaultNamespace;
}

function nameOf(c: Candidate): string | undefined {
  const name = valueAt(c.value, ['metadata', 'name']);
  return typeof name === 'string' ? name : undefined;
}

const key = (kind: string, ns: string, name: string) => `${kind}\u0000${ns}\u0000${name}`;
const inNamespace = (ns: string) => (ns ? ` in namespace ${JSON.stringify(ns)}` : '');

/** A reference from a field of an object to an object of another kind. */
interface Ref {
  path: Path;
  kind: SluiceKind;
  name: unknown;
  namespace: string;
}

function metricRefs(metrics: unknown, base: Path, ns: string): Ref[] {
  if (!Array.isArray(metrics)) return [];
  return metrics.map((m, i) => ({
    path: [...base, i, 'templateRef', 'name'],
    kind: 'MetricTemplate' as const,
    name: valueAt(m, ['templateRef', 'name']),
    namespace: String(valueAt(m, ['templateRef', 'namespace']) ?? ns),
  }));
}

function alertRefs(alerts: unknown, base: Path, ns: string): Ref[] {
  if (!Array.isArray(alerts)) return [];
  return alerts.map((a, i) => ({
    path: [...base, i, 'providerRef', 'name'],
    kind: 'AlertProvider' as const,
    name: valueAt(a, ['providerRef', 'name']),
    namespace: String(valueAt(a, ['providerRef', 'namespace']) ?? ns),
  }));
}

function refsOf(c: Candidate): Ref[] {
  const ns = namespaceOf(c);
  const v = c.value;
  switch (c.kind) {
    case 'Application':
      return [
        { path: ['spec', 'rollout'], kind: 'Rollout', name: valueAt(v, ['spec', 'rollout']), namespace: ns },
        { path: ['spec', 'project'], kind: 'Project', name: valueAt(v, ['spec', 'project']), namespace: '' },
        ...alertRefs(valueAt(v, ['spec', 'alerts']), ['spec', 'alerts'], ns),
      ];
    case 'Rollout': {
      const refs = metricRefs(
        valueAt(v, ['spec', 'analysis', 'metrics']),
        ['spec', 'analysis', 'metrics'],
        ns,
      );
      const steps = valueAt(v, ['spec', 'strategy', 'canary', 'steps']);
      if (Array.isArray(steps))
        steps.forEach((s, i) => {
          const base = ['spec', 'strategy', 'canary', 'steps', i, 'analysis', 'metrics'];
          refs.push(...metricRefs(valueAt(s, ['analysis', 'metrics']), base, ns));
        });
      refs.push(...alertRefs(valueAt(v, ['spec', 'analysis', 'alerts']), ['spec', 'analysis', 'alerts'], ns));
      return refs;
    }
    case 'Pipeline': {
      const app = valueAt(v, ['spec', 'trigger', 'application', 'name']);
      return [
        { path: ['spec', 'trigger', 'application', 'name'], kind: 'Application', name: app, namespace: ns },
      ];
    }
    default:
      return [];
  }
}

/** Duplicate step names within each Pipeline. */
function stepIssues(c: Candidate): Issue[] {
  const steps = valueAt(c.value, ['spec', 'steps']);
  if (c.kind !== 'Pipeline' || !Array.isArray(steps)) return [];
  const seen = new Map<unknown, number>();
  const issues: Issue[] = [];
  steps.forEach((s, i) => {
    const name = valueAt(s, ['name']);
    const first = seen.get(name);
    if (first === undefined) seen.set(name, i);
    else {
      const path = ['spec', 'steps', i, 'name'];
      issues.push({
        field: path,
        at: path,
        prefer: 'value',
        message: `step name ${JSON.stringify(name)} is already used by spec.steps[${first}]`,
      });
    }
  });
  return issues;
}

/** Duplicate names across all candidates, and unresolved references from the valid ones. */
export function checkCrossRefs(
  all: Candidate[],
  valid: Candidate[],
  where: (c: Candidate) => string,
): CandidateIssue[] {
  const out: CandidateIssue[] = [];
  const declared = new Map<string, Candidate>();
  const namesByKindNs = new Map<string, string[]>();
  for (const c of all) {
    const name = nameOf(c);
    if (name === undefined) continue;
    const ns = namespaceOf(c);
    const k = key(c.kind, ns, name);
    const first = declared.get(k);
    if (first) {
      const path = ['metadata', 'name'];
      out.push({
        candidate: c,
        issue: {
          field: path,
          at: path,
          prefer: 'value',
          message: `${c.kind} ${JSON.stringify(name)} is already defined${inNamespace(ns)}`,
          hint: `first defined at ${where(first)}`,
        },
      });
      continue;
    }
    declared.set(k, c);
    const group = `${c.kind}\u0000${ns}`;
    namesByKindNs.set(group, [...(namesByKindNs.get(group) ?? []), name]);
  }
  for (const c of valid) {
    for (const issue of stepIssues(c)) out.push({ candidate: c, issue });
    for (const ref of refsOf(c)) {
      if (typeof ref.name !== 'string' || declared.has(key(ref.kind, ref.namespace, ref.name))) continue;
      const hint = didYouMean(ref.name, namesByKindNs.get(`${ref.kind}\u0000${ref.namespace}`) ?? []);
      out.push({
        candidate: c,
        issue: {
          field: ref.path,
          at: ref.path,
          prefer: 'value',
          message: `${ref.kind} ${JSON.stringify(ref.name)} not found${inNamespace(ref.namespace)}`,
          ...(hint ? { hint } : {}),
        },
      });
    }
  }
  return out;
}
