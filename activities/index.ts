import type { KubernetesObject } from '@kubernetes/client-node';
import { emitEvent } from './events/emit.js';
import type { SluiceEvent } from './events/event.js';
import { gitActivities } from './git/pipeline-commit.js';
import type { RepoCache } from './git/repo-cache.js';
import { type AppliedObject, applyObjects } from './kube/apply.js';
import type { KubeClients } from './kube/client.js';
import { type DeploymentProgress, waitDeploymentAvailable } from './kube/deployment-available.js';
import type { SecretStore } from './secrets/secret-store.js';
import { syncActivities } from './sync/index.js';
import type { RenderStore } from './sync/render-store.js';

/** What activities need from the outside world; the worker builds it, tests inject their own. */
export interface ActivityDeps {
  kube: KubeClients;
  repoCache: RepoCache;
  secrets: SecretStore;
  renderStore: RenderStore;
  /** Objects applied at once within a wave. */
  applyConcurrency: number;
  /** The secretRef for a repository URL (from the worker's repository config), if any. */
  credentialsFor: (url: string) => { name: string } | undefined;
}

/** Builds every activity bound to its dependencies; workflows import only this function's type. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...gitActivities(deps),
    ...syncActivities(deps),
    /** Server-side applies objects with field manager `sluice`. */
    async applyManifests(objects: KubernetesObject[]): Promise<AppliedObject[]> {
      return applyObjects(deps.kube, objects);
    },
    /** Waits, heartbeating, until a Deployment is Available with all replicas ready. */
    async waitDeploymentAvailable(input: { namespace: string; name: string }): Promise<DeploymentProgress> {
      return waitDeploymentAvailable(deps.kube, input.namespace, input.name);
    },
    /** Records an event (alert providers subscribe here). */
    async emitEvent(event: SluiceEvent): Promise<void> {
      return emitEvent(event);
    },
  };
}

/** The activities object workflows proxy. */
export type SluiceActivities = ReturnType<typeof createActivities>;
