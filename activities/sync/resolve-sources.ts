// The repository watcher's one call per poll: the newest commit of every source its Applications
// sync from, each repository asked once per set of credentials, each source checked against the
// Project that asks for it before any server is contacted.
import type { Caller } from '../../core/identity.js';
import { gitAuth } from '../git/auth.js';
import type { RepoCache } from '../git/repo-cache.js';
import { checkRepoUrl } from '../git/repo-url.js';
import { groupSources } from '../git/source-groups.js';
import { whileBeating } from '../keep-alive.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { ProjectRegistry } from '../trust/projects.js';
import { checkSource } from './project-policy.js';

/** One source to resolve, for the Applications of one repository and Project that sync from it. */
export interface SourceRequest {
  repoURL: string;
  targetRevision: string;
  /** The repository the Applications were declared in and their Project: what the checks and credentials go by. */
  caller: Caller;
  /** The Applications asking, for messages. */
  apps: string[];
}

/** A source's commit, or why it could not be resolved (for these Applications only). */
export type SourceAnswer = { sha: string } | { error: string };

/** Dependencies of resolveSources. */
export interface ResolveSourcesDeps {
  repoCache: RepoCache;
  secrets: SecretStore;
  projects: ProjectRegistry;
  credentialsFor: (url: string, caller: Caller) => { name: string } | undefined;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** The resolveSources activity. */
export function resolveSourcesActivity(deps: ResolveSourcesDeps) {
  /** Checks a source's URL and Project; throws what the Applications should be told. */
  async function allowed(s: SourceRequest): Promise<void> {
    checkRepoUrl(s.repoURL);
    checkSource(await deps.projects.policyFor(s.caller), {
      name: s.apps.join(', '),
      what: s.apps.length > 1 ? 'Applications' : 'Application',
      repoURL: s.repoURL,
    });
  }

  return {
    /**
     * Resolves every source with one ls-remote per (repository, credentials); answers in order. A source
     * its Project may not read, or that the server does not have, is an error for that source only.
     */
    async resolveSources(input: { sources: SourceRequest[] }): Promise<{ results: SourceAnswer[] }> {
      const results: SourceAnswer[] = input.sources.map(() => ({ error: 'not resolved' }));
      const permitted: number[] = [];
      for (const [i, s] of input.sources.entries()) {
        try {
          await allowed(s);
          permitted.push(i);
        } catch (err) {
          results[i] = { error: messageOf(err) };
        }
      }
      const asked = permitted.map((i) => input.sources[i] as SourceRequest);
      const groups = groupSources(asked, (s) => deps.credentialsFor(s.repoURL, s.caller)?.name);
      await whileBeating({ resolving: groups.length }, () =>
        Promise.all(
          groups.map(async (g) => {
            const members = g.members.map((m) => permitted[m] as number);
            try {
              const secret = g.credentials ? await deps.secrets.resolve({ name: g.credentials }) : undefined;
              const revisions = members.map((i) => (input.sources[i] as SourceRequest).targetRevision);
              const shas = await deps.repoCache.resolveMany(g.url, revisions, gitAuth(g.url, secret));
              for (const [k, i] of members.entries()) {
                const sha = shas[k] as string | Error;
                results[i] = sha instanceof Error ? { error: sha.message } : { sha };
              }
            } catch (err) {
              for (const i of members) results[i] = { error: messageOf(err) };
            }
          }),
        ),
      );
      return { results };
    },
  };
}
