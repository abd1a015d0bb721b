// Chart and multi-source Applications: every source's revision (a commit, or the chart version its
// constraint resolves to) and the checkout or unpacked chart of each at a revision, each source checked
// against the owner's Project before any server is contacted.
import type { Caller } from '../../core/identity.js';
import { isChartSource, joinRevisions, targetOf } from '../../core/sync/app-sources.js';
import type { ApplicationSource } from '../../schemas/types.generated.js';
import type { ChartSources } from '../charts/chart-sources.js';
import type { GitAuthCallbacks } from '../git/auth.js';
import type { RepoCache } from '../git/repo-cache.js';
import { checkRepoUrl } from '../git/repo-url.js';
import type { ProjectRegistry } from '../trust/projects.js';
import { checkSource } from './project-policy.js';
import type { SourceRender } from './render.js';

/** What resolving and fetching sources needs. */
export interface SourceDeps {
  repoCache: RepoCache;
  charts?: ChartSources;
  projects: ProjectRegistry;
  gitAuth: (url: string, caller: Caller) => Promise<GitAuthCallbacks>;
}

/** One source ready to render: its files' root (a checkout, or the unpacked chart) and the path in it. */
export interface FetchedSource {
  source: SourceRender;
  root: string;
  path: string;
}

function chartsOf(deps: SourceDeps, app: string) {
  if (!deps.charts) throw new Error(`Application ${app}: this worker has no chart cache configured`);
  return deps.charts;
}

/** Checks a source against the owner's Project (sourceRepos), and a Git URL's scheme. */
async function allow(deps: SourceDeps, s: ApplicationSource, owner: Caller & { app: string }): Promise<void> {
  if (!isChartSource(s)) checkRepoUrl(s.repoURL);
  checkSource(await deps.projects.policyFor(owner), { name: owner.app, repoURL: s.repoURL });
}

/** The revision string of every source, in order (joinRevisions). */
export async function resolveAll(
  deps: SourceDeps,
  sources: ApplicationSource[],
  owner: Caller & { app: string },
): Promise<string> {
  const revisions: string[] = [];
  for (const [i, s] of sources.entries()) {
    await allow(deps, s, owner);
    try {
      revisions.push(
        s.chart !== undefined
          ? await chartsOf(deps, owner.app).resolve(
              { repoURL: s.repoURL, chart: s.chart },
              targetOf(s),
              owner,
            )
          : await deps.repoCache.resolve(s.repoURL, targetOf(s), await deps.gitAuth(s.repoURL, owner)),
      );
    } catch (err) {
      // Same error class (its name decides retries), with the Application and the field in front.
      if (err instanceof Error)
        err.message = `Application ${owner.app}: ${fieldOf(sources, i)}: ${err.message}`;
      throw err;
    }
  }
  return joinRevisions(revisions);
}

/** The spec field a source is at, for messages. */
const fieldOf = (sources: ApplicationSource[], i: number) =>
  sources.length === 1 ? 'spec.source' : `spec.sources[${i}]`;

/** Every source's files at its revision: Git checkouts and unpacked charts. */
export async function fetchAll(
  deps: SourceDeps,
  sources: SourceRender[],
  owner: Caller & { app: string },
): Promise<FetchedSource[]> {
  const out: FetchedSource[] = [];
  for (const s of sources) {
    await allow(deps, s, owner);
    if (s.chart !== undefined) {
      const root = await chartsOf(deps, owner.app).fetch(
        { repoURL: s.repoURL, chart: s.chart },
        s.revision,
        owner,
      );
      out.push({ source: s, root, path: s.chart });
      continue;
    }
    const auth = await deps.gitAuth(s.repoURL, owner);
    await deps.repoCache.ensureCommit(s.repoURL, s.revision, s.revision, auth);
    out.push({ source: s, root: await deps.repoCache.checkout(s.repoURL, s.revision), path: s.path ?? '.' });
  }
  return out;
}
