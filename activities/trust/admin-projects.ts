// Projects kept in an admin repository (as Argo CD users keep AppProjects in Git): read on demand,
// reused for refreshInterval, the last valid set kept when a newer commit is invalid or the repository
// is unreachable, and an error (every caller fails closed) when no valid set was ever read.
import { log } from '@temporalio/activity';
import { formatLoadError, loadPipelineFiles } from '../../schemas/loader/index.js';
import type { Project } from '../../schemas/types.generated.js';
import { durationMs } from '../../workflows/shared/duration.js';
import { gitAuth } from '../git/auth.js';
import type { RepoCache } from '../git/repo-cache.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { AdminRepositoryConfig, ProjectConfig } from './config.js';
import { type AdminProjectSource, ProjectBindingError } from './projects.js';

interface Snapshot {
  sha: string;
  readAt: number;
  projects: ProjectConfig[];
}

/** Reads the admin repository's Project files; the result feeds ProjectRegistry. */
export function adminProjectSource(
  deps: { repoCache: RepoCache; secrets: SecretStore },
  admin: AdminRepositoryConfig,
  now: () => number = Date.now,
): AdminProjectSource {
  const refreshMs = durationMs(admin.refreshInterval);
  let last: Snapshot | undefined;
  let reading: Promise<ProjectConfig[]> | undefined;

  async function read(): Promise<ProjectConfig[]> {
    try {
      const secret = admin.secretRef ? await deps.secrets.resolve(admin.secretRef) : undefined;
      const auth = gitAuth(admin.url, secret);
      const sha = await deps.repoCache.resolve(admin.url, admin.revision, auth);
      if (last?.sha !== sha) {
        await deps.repoCache.ensureCommit(admin.url, admin.revision, sha, auth);
        const files = await deps.repoCache.readFiles(admin.url, sha, admin.path, (f) => /\.ya?ml$/.test(f));
        last = { sha, readAt: now(), projects: projectsOf(loadPipelineFiles(files), admin.url, sha) };
      }
      last.readAt = now();
      return last.projects;
    } catch (err) {
      if (!last) throw err;
      warn('admin repository unreadable or invalid; keeping its last valid Projects', {
        url: admin.url,
        sha: last.sha,
        error: (err as Error).message,
      });
      last.readAt = now(); // try again after refreshInterval, not on every request
      return last.projects;
    }
  }

  return async () => {
    if (last && now() - last.readAt < refreshMs) return last.projects;
    reading ??= read().finally(() => {
      reading = undefined;
    });
    return reading;
  };
}

/** Logs through the activity's logger, or as a JSON line on stderr outside an activity (the CLI, tests). */
function warn(msg: string, fields: Record<string, unknown>): void {
  try {
    log.warn(msg, fields);
  } catch {
    process.stderr.write(`${JSON.stringify({ level: 'warn', msg, ...fields })}\n`);
  }
}

/** The Projects of a load; any error or any other kind makes the whole commit invalid. */
function projectsOf(result: ReturnType<typeof loadPipelineFiles>, url: string, sha: string): ProjectConfig[] {
  const others = result.objects.filter((o) => o.kind !== 'Project');
  const problems = [
    ...result.errors.map(formatLoadError),
    ...others.map(
      (o) =>
        `${o.source.file}:${o.source.line}: ${o.kind} ${o.metadata.name}: the admin repository holds Projects only`,
    ),
  ];
  if (problems.length > 0)
    throw new ProjectBindingError(
      `admin repository ${url} at ${sha.slice(0, 7)} is invalid: ${problems.join('; ')}`,
    );
  return (result.objects as (Project & { source: unknown })[]).map((p) => ({
    name: p.metadata.name,
    ...p.spec,
  }));
}
