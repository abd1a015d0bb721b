// Checks that need every file: names unique per kind and namespace, and references that resolve.

import { didYouMean } from '../../core/did-you-mean.js';
import type { SluiceKind } from '../kinds.js';
import type { Candidate } from './candidate.js';
import { defaultNamespace } from './compat/context.js';
import type { Issue } from './issue.js';
import { type Path, valueAt } from './path.js';
import { rolloutMetricLists } from './rollout-metrics.js';

/** An issue found on one candidate. */
export interface CandidateIssue {
  candidate: Candidate;
  issue: Issue;
}

// Kinds whose names are unique per repository whatever their namespace: Projects are not namespaced,
// and an Application's or Pipeline's workflow is addressed by repository and name (core/workflow-ids.ts).
const unnamespaced = new Set(['Project', 'Application', 'Pipeline']);

function namespaceOf(c: Candidate): string {
  if (unnamespaced.has(c.kind)) return '';
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
        {
          path: ['spec', 'rollout'],
          kind: 'Rollout',
          name: valueAt(v, ['spec', 'rollout']),
          namespace: objectNamespace(c),
        },
        ...alertRefs(valueAt(v, ['spec', 'alerts']), ['spec', 'alerts'], objectNamespace(c)),
      ];
    case 'Rollout': {
      const refs = rolloutMetricLists(valueAt(v, ['spec'])).flatMap(({ path, list }) =>
        metricRefs(list, path, ns),
      );
      refs.push(...alertRefs(valueAt(v, ['spec', 'analysis', 'alerts']), ['spec', 'analysis', 'alerts'], ns));
      return refs;
    }
    case 'Pipeline': {
      const app = valueAt(v, ['spec', 'trigger', 'application', 'name']);
      const policy = ['spec', 'trigger', 'image', 'policyRef', 'name'];
      return [
        { path: ['spec', 'trigger', 'application', 'name'], kind: 'Application', name: app, namespace: '' },
        { path: policy, kind: 'ImagePolicy', name: valueAt(v, policy), namespace: objectNamespace(c) },
      ];
    }
    case 'ImagePolicy': {
      const path = ['spec', 'imageRepositoryRef', 'name'];
      return [{ path, kind: 'ImageRepository', name: valueAt(v, path), namespace: ns }];
    }
    case 'ImageUpdateAutomation': {
      const names = valueAt(v, ['spec', 'policies']);
      if (!Array.isArray(names)) return [];
      return names.map((name, i) => ({
        path: ['spec', 'policies', i],
        kind: 'ImagePolicy' as const,
        name,
        namespace: ns,
      }));
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

/** The namespace an object's own references resolve in (Applications and Pipelines have one too). */
function objectNamespace(c: Candidate): string {
  const ns = valueAt(c.value, ['metadata', 'namespace']);
  return typeof ns === 'string' ? ns : defaultNamespace;
}

/** Kinds that act under a Project (spec.project, defaulting to the repository's only bound one). */
export const projectKinds = new Set<string>([
  'Application',
  'Pipeline',
  'ImageRepository',
  'ImageUpdateAutomation',
]);

const bindingHint =
  'the administrator binds Projects to repositories in the worker config (repositories[].projects)';

/** Project documents (administrators only) and `spec.project` against the repository's bound Projects. */
function projectIssues(c: Candidate, bound: string[]): Issue[] {
  if (c.kind === 'Project')
    return [
      {
        field: ['kind'],
        at: ['kind'],
        prefer: 'value',
        message:
          'Projects are defined by the administrator (worker config `projects` or the admin repository), not in the repositories they restrict',
        hint: 'move this Project to the worker config; Applications here name it in spec.project',
      },
    ];
  if (!projectKinds.has(c.kind)) return [];
  const named = valueAt(c.value, ['spec', 'project']);
  const list = bound.join(', ') || 'none';
  if (named === undefined) {
    if (bound.length === 1) return [];
    return [
      {
        field: ['spec'],
        at: ['spec'],
        prefer: 'key',
        message: `this repository is bound to the Projects ${list}: name one in spec.project`,
        hint: bindingHint,
      },
    ];
  }
  if (typeof named !== 'string' || bound.includes(named)) return [];
  const hint = didYouMean(named, bound);
  return [
    {
      field: ['spec', 'project'],
      at: ['spec', 'project'],
      prefer: 'value',
      message: `Project ${JSON.stringify(named)} is not bound to this repository (bound: ${list})`,
      hint: hint ? `${hint}; ${bindingHint}` : bindingHint,
    },
  ];
}

/**
 * Duplicate names across all candidates, unresolved references from the valid ones, and (when the
 * repository's bound Projects are given) Projects named or declared where they may not be.
 */
export function checkCrossRefs(
  all: Candidate[],
  valid: Candidate[],
  where: (c: Candidate) => string,
  projects?: { bound: string[] },
): CandidateIssue[] {
  const out: CandidateIssue[] = [];
  if (projects)
    for (const c of all)
      for (const issue of projectIssues(c, projects.bound)) out.push({ candidate: c, issue });
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
