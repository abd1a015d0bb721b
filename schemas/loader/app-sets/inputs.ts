// What an ApplicationSet's generators read, gathered before the load by whoever has it: the worker's
// activity (from its Git cache, at the commit being loaded) or `sluice validate` (from the local folder).
import picomatch from 'picomatch';
import { parseAllDocuments } from 'yaml';
import { sameRepoUrl } from '../../../core/repo-url-key.js';
import type { SourceFile } from '../types.js';

/** A repository's tree as generators see it: its files (symlinks left out) and the contents of those a file generator matches. */
export interface RepoTree {
  files: string[];
  contents: Record<string, string>;
}

/** A repository's tree, or why it could not be read (not allowed, unreachable). */
export type RepoAnswer = RepoTree | { error: string };

/** A cluster a clusters generator yields. */
export interface GeneratorCluster {
  name: string;
  labels?: Record<string, string>;
}

/** Everything generators may read; what is missing makes a generator that needs it an error. */
export interface GeneratorInputs {
  /** URL of the watched repository: a git generator without repoURL, or naming it, reads `repo`. */
  repoUrl?: string;
  /** The watched repository at the commit being loaded. */
  repo?: RepoAnswer;
  /** Other repositories, by otherRepoKey. */
  others?: Record<string, RepoAnswer>;
  /** The clusters the worker serves (in-cluster first). */
  clusters?: GeneratorCluster[];
}

/** The key of another repository in GeneratorInputs.others. */
export const otherRepoKey = (repoURL: string, revision = 'HEAD') => `${repoURL}@${revision}`;

/** Whether a git generator reads the watched repository (no repoURL, or the watched one's). */
export function readsWatchedRepo(repoURL: string | undefined, inputs: { repoUrl?: string }): boolean {
  return repoURL === undefined || (inputs.repoUrl !== undefined && sameRepoUrl(repoURL, inputs.repoUrl));
}

/** A git generator's needs, read from the raw files before the load. */
export interface GitNeed {
  /** The set, "namespace/name", and the Project its template names (undefined: the repository's default). */
  set: string;
  project?: string;
  repoURL?: string;
  revision?: string;
  /** Globs of the files a file generator reads (their contents are needed, not only their paths). */
  fileGlobs: string[];
}

const record = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** Every git generator of the ApplicationSets in the files (also inside a matrix); files that do not parse are skipped (the load reports them). */
export function gitNeeds(files: SourceFile[]): GitNeed[] {
  const needs: GitNeed[] = [];
  for (const f of files) {
    if (!f.content.includes('ApplicationSet')) continue;
    let docs: unknown[];
    try {
      docs = parseAllDocuments(f.content).flatMap((d) =>
        'errors' in d && d.errors.length === 0 ? [d.toJS({ maxAliasCount: 100 }) as unknown] : [],
      );
    } catch {
      continue;
    }
    for (const doc of docs.map(record)) {
      if (doc.kind !== 'ApplicationSet' || doc.apiVersion !== 'sluice.dev/v1alpha1') continue;
      const meta = record(doc.metadata);
      const spec = record(doc.spec);
      const project = record(record(spec.template).spec).project;
      const set = `${typeof meta.namespace === 'string' ? meta.namespace : 'default'}/${String(meta.name)}`;
      const generators = Array.isArray(spec.generators) ? spec.generators.map(record) : [];
      const leaves = generators.flatMap((g) =>
        g.matrix
          ? Array.isArray(record(g.matrix).generators)
            ? (record(g.matrix).generators as unknown[]).map(record)
            : []
          : [g],
      );
      for (const leaf of leaves) {
        if (!leaf.git) continue;
        const git = record(leaf.git);
        const fileGlobs = Array.isArray(git.files)
          ? git.files.map((m) => record(m).path).filter((p): p is string => typeof p === 'string')
          : [];
        needs.push({
          set,
          ...(typeof project === 'string' ? { project } : {}),
          ...(typeof git.repoURL === 'string' ? { repoURL: git.repoURL } : {}),
          ...(typeof git.revision === 'string' ? { revision: git.revision } : {}),
          fileGlobs,
        });
      }
    }
  }
  return needs;
}

/** Whether a repository path matches one of the globs (dotfiles too, as Argo CD's path.Match). */
export function matcher(globs: string[]): (path: string) => boolean {
  return globs.length ? picomatch(globs, { dot: true }) : () => false;
}

/** Every folder that holds a file of the tree (the root left out), sorted. */
export function foldersOf(files: string[]): string[] {
  const dirs = new Set<string>();
  for (const f of files) {
    const parts = f.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  return [...dirs].sort();
}
