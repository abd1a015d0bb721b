import type { TrafficProviderName } from '../../core/traffic/providers.js';
import type { GeneratorInputs } from '../../schemas/loader/app-sets/inputs.js';
import { projectKinds } from '../../schemas/loader/cross-refs.js';
import { formatLoadError, type LoadResult, loadPipelineFiles } from '../../schemas/loader/index.js';
import { GitLimitError } from '../errors.js';
import { whileBeating } from '../keep-alive.js';
import { gitAuth } from './auth.js';
import { pipelineFileFilter } from './file-filter.js';
import { type GeneratorDeps, gatherGeneratorInputs } from './generator-inputs.js';
import type { RepoSpec } from './repo-spec.js';
import { checkRepoUrl } from './repo-url.js';

/** What a commit's pipeline files amount to, small enough for workflow history (no file contents, no secrets). */
export interface PipelineCommit {
  sha: string;
  objects: LoadResult['objects'];
  /** Every problem as `file:line:col: field: message (hint)`. */
  errors: string[];
  ignored: LoadResult['ignored'];
  fetched: boolean;
}

/**
 * The most pipeline-file bytes one commit may have. They are all read into memory and parsed at once,
 * and YAML takes ~35 times its size while parsed (16 MiB of small documents measured +543 MiB RSS);
 * the loader already refuses any one file over 1 MiB. 4 MiB is some 15,000 Applications.
 */
export const pipelineFilesCap = {
  bytes: 4 * 1024 * 1024,
  note: 'pipeline files are read and parsed in memory at once; keep them small',
};

/** Activities that read pipeline files from Git. */
export function gitActivities(
  deps: GeneratorDeps & {
    /** Written into Rollouts without spec.provider, so the application receives it in its desired state. */
    defaultTrafficProvider?: TrafficProviderName;
  },
) {
  const authFor = async (repo: RepoSpec) =>
    gitAuth(repo.url, repo.secretRef ? await deps.secrets.resolve(repo.secretRef) : undefined);

  return {
    /** Resolves the watched branch, tag or SHA to a commit SHA with ls-remote. */
    async resolveRepoRevision(repo: RepoSpec): Promise<{ sha: string }> {
      checkRepoUrl(repo.url);
      const auth = await authFor(repo);
      return {
        sha: await whileBeating({ resolving: repo.url }, () =>
          deps.repoCache.resolve(repo.url, repo.revision, auth),
        ),
      };
    },

    /**
     * Fetches the commit into the repository cache (only new objects) and loads and validates its
     * pipeline files against the Projects the administrator bound to the repository; every Application
     * and Pipeline comes back with its effective `spec.project`. A commit over a Git limit is an invalid
     * commit (its error in `errors`), not a failure.
     */
    async loadPipelineCommit(input: {
      repoId: string;
      repo: RepoSpec;
      sha: string;
    }): Promise<PipelineCommit> {
      const { repo, sha } = input;
      checkRepoUrl(repo.url);
      const auth = await authFor(repo);
      let fetched = false;
      let files: { path: string; content: string }[];
      try {
        // A first clone of a large repository takes a while: beat on a timer while git works.
        ({ fetched } = await whileBeating({ fetching: repo.url, sha }, () =>
          deps.repoCache.ensureCommit(repo.url, repo.revision, sha, auth),
        ));
        files = await whileBeating({ fetched, reading: repo.path }, () =>
          deps.repoCache.readFiles(
            repo.url,
            sha,
            repo.path,
            pipelineFileFilter(repo.path, repo),
            pipelineFilesCap,
          ),
        );
      } catch (err) {
        if (!(err instanceof GitLimitError)) throw err;
        return { sha, objects: [], errors: [err.message], ignored: [], fetched };
      }
      const bound = deps.projects.boundProjects(input.repoId);
      let generators: GeneratorInputs;
      try {
        // ApplicationSets' git generators read this commit's tree (and repositories their Project allows).
        generators = await whileBeating({ generators: repo.url, sha }, () =>
          gatherGeneratorInputs(deps, {
            repoId: input.repoId,
            url: repo.url,
            sha,
            bound,
            files,
            cap: pipelineFilesCap,
          }),
        );
      } catch (err) {
        if (!(err instanceof GitLimitError)) throw err;
        return { sha, objects: [], errors: [err.message], ignored: [], fetched };
      }
      const result = loadPipelineFiles(files, {
        projects: { bound },
        generators,
        repoId: input.repoId,
        ...(deps.defaultTrafficProvider ? { defaultProvider: deps.defaultTrafficProvider } : {}),
      });
      for (const o of result.objects)
        if (projectKinds.has(o.kind)) (o.spec as { project?: string }).project ??= bound[0];
      return {
        sha,
        objects: result.objects,
        errors: result.errors.map(formatLoadError),
        ignored: result.ignored,
        fetched,
      };
    },
  };
}
