// Application spec.dependsOn within one repository: every name must be declared here and the graph
// must have no cycle (an Application in a cycle would wait forever). Dependencies in other repositories
// are looked up when the Application syncs (workflows/application/dependencies.ts).

import { didYouMean } from '../../core/did-you-mean.js';
import type { Candidate } from './candidate.js';
import type { CandidateIssue } from './cross-refs.js';
import { fieldIssue } from './issue.js';
import { type Path, valueAt } from './path.js';

/** One edge of the graph: an Application's dependsOn entry naming another of the same repository. */
interface Edge {
  from: Candidate;
  to: string;
  path: Path;
}

/** The name of an Application candidate, when it has one. */
function nameOf(c: Candidate): string | undefined {
  const name = valueAt(c.value, ['metadata', 'name']);
  return typeof name === 'string' ? name : undefined;
}

/** The dependsOn entries of an Application that name one of this repository (no `repo`, or this one's id). */
function sameRepoEdges(c: Candidate, repoId: string | undefined): Edge[] {
  const list = valueAt(c.value, ['spec', 'dependsOn']);
  if (!Array.isArray(list)) return [];
  return list.flatMap((d, i) => {
    const name = valueAt(d, ['name']);
    const repo = valueAt(d, ['repo']);
    if (typeof name !== 'string' || (repo !== undefined && repo !== repoId)) return [];
    return [{ from: c, to: name, path: ['spec', 'dependsOn', i, 'name'] }];
  });
}

/** Each elementary cycle found by a depth-first walk, as its edges in order (one per set of members). */
export function findCycles<E extends { to: string }>(edges: Map<string, E[]>): E[][] {
  const cycles: E[][] = [];
  const seen = new Set<string>();
  const done = new Set<string>();
  const stack: { node: string; via?: E }[] = [];
  const visit = (node: string, via?: E) => {
    const onStack = stack.findIndex((s) => s.node === node);
    if (onStack >= 0) {
      const cycle = [...stack.slice(onStack + 1).map((s) => s.via as E), via as E];
      const members = stack.slice(onStack).map((s) => s.node);
      const key = [...members].sort().join('\u0000');
      if (!seen.has(key)) {
        seen.add(key);
        cycles.push(cycle);
      }
      return;
    }
    if (done.has(node)) return;
    stack.push({ node, ...(via ? { via } : {}) });
    for (const e of edges.get(node) ?? []) visit(e.to, e);
    stack.pop();
    done.add(node);
  };
  for (const node of [...edges.keys()].sort()) visit(node);
  return cycles;
}

/**
 * Unknown same-repository dependencies and dependency cycles among valid Applications, each cycle
 * reported on every member's dependsOn entry with the whole cycle's places (`at` locates a field).
 */
export function dependsOnIssues(
  all: Candidate[],
  valid: Candidate[],
  at: (c: Candidate, path: Path) => string,
  repoId?: string,
): CandidateIssue[] {
  const declared = all
    .filter((c) => c.kind === 'Application')
    .map(nameOf)
    .filter((n): n is string => n !== undefined);
  const out: CandidateIssue[] = [];
  const graph = new Map<string, Edge[]>();
  for (const c of valid) {
    const name = nameOf(c);
    if (c.kind !== 'Application' || name === undefined) continue;
    const edges: Edge[] = [];
    for (const e of sameRepoEdges(c, repoId)) {
      if (declared.includes(e.to)) {
        edges.push(e);
        continue;
      }
      const hint = didYouMean(e.to, declared);
      const message = `Application ${JSON.stringify(e.to)} not found in this repository`;
      out.push({
        candidate: c,
        issue: fieldIssue(
          e.path,
          message,
          hint ?? 'an Application of another repository is named with `repo: <repository id>`',
        ),
      });
    }
    graph.set(name, edges);
  }
  for (const cycle of findCycles(graph)) {
    const names = cycle.map((e) => nameOf(e.from) as string);
    const trail = cycle.map((e) => `${nameOf(e.from)} (${at(e.from, e.path)})`);
    const message =
      cycle.length === 1
        ? `Application ${JSON.stringify(names[0])} depends on itself`
        : `dependency cycle: ${[...trail, names[0]].join(' → ')}`;
    for (const e of cycle)
      out.push({
        candidate: e.from,
        issue: fieldIssue(e.path, message, 'an Application in a cycle would wait for itself forever'),
      });
  }
  return out;
}
