// Pure: what the repository watcher asks resolveSources for, and which applications to tell what.
// One request per distinct (repoURL, targetRevision, Project): the activity checks and authenticates
// per Project, and groups the requests by repository so each is ls-remoted once.
import type { SourceAnswer, SourceRequest } from '../../activities/sync/resolve-sources.js';
import { sameRepoUrl } from '../../core/repo-url-key.js';
import type { SourceRevisionNotice } from '../application/messages.js';
import type { AppRecord } from './messages.js';

/** The requests of one resolveSources call and, for each, the applications (workflow IDs) it answers for. */
export interface SourcePlan {
  requests: SourceRequest[];
  apps: string[][];
}

/** The distinct sources of the applications (only those from one of `urls`, when given). */
export function planSources(apps: Record<string, AppRecord>, repoId: string, urls?: string[]): SourcePlan {
  const byKey = new Map<string, number>();
  const plan: SourcePlan = { requests: [], apps: [] };
  for (const [id, app] of Object.entries(apps)) {
    const source = app.source;
    if (!source) continue; // a record from before the watcher resolved sources
    if (urls && !urls.some((u) => sameRepoUrl(u, source.repoURL))) continue;
    const key = JSON.stringify([source.repoURL, source.targetRevision, app.project]);
    let i = byKey.get(key);
    if (i === undefined) {
      i = plan.requests.length;
      byKey.set(key, i);
      plan.requests.push({ ...source, caller: { repoId, project: app.project }, apps: [] });
      plan.apps.push([]);
    }
    plan.requests[i]?.apps.push(app.name);
    plan.apps[i]?.push(id);
  }
  return plan;
}

/** What to tell one application, and how its record remembers it. */
export interface Notice {
  id: string;
  notice: SourceRevisionNotice;
  told: string;
}

/** The notices for applications whose answer differs from what they were last told (or were never told). */
export function noticesToSend(
  apps: Record<string, AppRecord>,
  plan: SourcePlan,
  results: SourceAnswer[],
): Notice[] {
  const out: Notice[] = [];
  for (const [i, request] of plan.requests.entries()) {
    const answer = results[i];
    if (!answer) continue;
    const told = 'sha' in answer ? answer.sha : `error: ${answer.error}`;
    const { repoURL, targetRevision } = request;
    const notice: SourceRevisionNotice =
      'sha' in answer
        ? { repoURL, targetRevision, sha: answer.sha }
        : { repoURL, targetRevision, error: answer.error };
    for (const id of plan.apps[i] ?? []) if (apps[id]?.told !== told) out.push({ id, notice, told });
  }
  return out;
}
