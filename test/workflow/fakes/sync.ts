import type { PlannedResource } from '../../../core/sync/types.js';
import { ActivityCalls, type FakeActivities, type InputOf, type OutputOf, recorded } from './recorder.js';

/** The one object the fake Git source renders to: a Deployment `web` in `shop`. */
export const webDeployment: PlannedResource = {
  ref: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' },
  wave: 0,
  prunable: true,
};

/** How the fake Git source and cluster behave for one application test. */
export interface SyncScript {
  /** The commit the source's branch points at now; change it between refreshes to push a commit. */
  head: () => string;
  /** Applies objects, or throws like a failing API server (default: applies them). */
  apply?: (input: InputOf<'applyResources'>) => Promise<OutputOf<'applyResources'>>;
  /** The applied objects' health right after the apply, when the sync asks (default Progressing: it waits). */
  healthAtApply?: 'Healthy' | 'Progressing';
  /** What the live-state cache shows (default: every object Healthy, nothing drifted). */
  live?: (input: InputOf<'appLiveState'>) => OutputOf<'appLiveState'> | undefined;
}

/**
 * Fakes of the application and sync activities (source revision, render, apply, health, prune, events,
 * alerts), typed against the real ones and recording every call.
 */
export function syncFakes(script: SyncScript) {
  const calls = new ActivityCalls();
  const fakes = {
    async resolveSourceRevision() {
      return { sha: script.head() };
    },
    async renderApp({ request }) {
      return {
        renderKey: `render-${request.revision}`,
        revision: request.revision,
        resources: [webDeployment],
      };
    },
    async applyResources(input) {
      if (script.apply) return script.apply(input);
      return { applied: input.refs.map((ref) => ({ ref, status: 'Synced' as const, changed: true })) };
    },
    // One wave without hooks: the render step applies it too, with the same apply script.
    async renderAndApply({ request, owner, cluster, assessHealth }) {
      const rendered = {
        renderKey: `render-${request.revision}`,
        revision: request.revision,
        resources: [webDeployment],
      };
      const refs = [webDeployment.ref];
      const { applied } = script.apply
        ? await script.apply({ request, owner, cluster, refs })
        : { applied: refs.map((ref) => ({ ref, status: 'Synced' as const, changed: true })) };
      if (!assessHealth) return { ...rendered, applied };
      const status = script.healthAtApply ?? 'Progressing';
      return { ...rendered, applied, health: { status, resources: refs.map((ref) => ({ ref, status })) } };
    },
    async appLiveState(input) {
      return (
        script.live?.(input) ?? {
          health: {
            status: 'Healthy' as const,
            resources: input.inventory.map((ref) => ({ ref, status: 'Healthy' as const })),
          },
          drifted: [],
        }
      );
    },
    async waitResourcesHealthy({ refs }) {
      return {
        status: 'Healthy' as const,
        resources: refs.map((ref) => ({ ref, status: 'Healthy' as const })),
      };
    },
    async pruneResources() {
      return { deleted: [], kept: [] };
    },
    async emitEvent() {},
    async deliverAlert() {
      return { delivered: true, duplicate: false };
    },
  } satisfies FakeActivities;
  return {
    activities: recorded(fakes, calls),
    calls,
    /** How many times the workflow looked at the source. */
    refreshes: () => calls.count('resolveSourceRevision'),
  };
}
