import { startApplications } from '../../../activities/watcher/start-applications.js';
import type { SluiceObject } from '../../../schemas/loader/types.js';
import { ActivityCalls, type FakeActivities, recorded } from './recorder.js';

/** An Application `name` as the loader reads it from apps/<name>.yaml (manual sync, so it stays quiet). */
export function applicationObject(name: string): SluiceObject {
  return {
    apiVersion: 'sluice.dev/v1alpha1',
    kind: 'Application',
    metadata: { name },
    spec: {
      project: 'default',
      source: { repoURL: 'http://127.0.0.1:9/web.git', path: 'deploy' },
      destination: { namespace: 'shop' },
    },
    source: { file: `apps/${name}.yaml`, line: 1 },
  } as SluiceObject;
}

/**
 * Fakes of the repository watcher's Git activities (its pipeline files and its Applications' sources) and
 * of an Application's own source lookup, typed against the real ones and recording every call.
 */
export function gitFakes(script: {
  head: () => string;
  objects: (sha: string) => SluiceObject[];
  /** The commit every Application source resolves to (default c…c). */
  source?: () => string;
}) {
  const calls = new ActivityCalls();
  const fakes = {
    async resolveRepoRevision() {
      return { sha: script.head() };
    },
    async loadPipelineCommit({ sha }) {
      return { sha, objects: script.objects(sha), errors: [], ignored: [], fetched: true };
    },
    async resolveSourceRevision() {
      return { sha: script.source?.() ?? 'c'.repeat(40) };
    },
    async resolveSources({ sources }) {
      return { results: sources.map(() => ({ sha: script.source?.() ?? 'c'.repeat(40) })) };
    },
    async emitEvent() {},
    // The real one: it starts application workflows with the test worker's own Temporal client.
    startApplications,
  } satisfies FakeActivities;
  return { activities: recorded(fakes, calls), calls };
}
