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
 * Fakes of the repository watcher's Git activities and of what the Applications it starts ask first
 * (their source revision), typed against the real ones and recording every call.
 */
export function gitFakes(script: { head: () => string; objects: (sha: string) => SluiceObject[] }) {
  const calls = new ActivityCalls();
  const fakes = {
    async resolveRepoRevision() {
      return { sha: script.head() };
    },
    async loadPipelineCommit({ sha }) {
      return { sha, objects: script.objects(sha), errors: [], ignored: [], fetched: true };
    },
    async resolveSourceRevision() {
      return { sha: 'c'.repeat(40) };
    },
    async emitEvent() {},
  } satisfies FakeActivities;
  return { activities: recorded(fakes, calls), calls };
}
