import type { KubernetesObject } from '@kubernetes/client-node';
import { heartbeat } from '@temporalio/activity';
import { diffApplication } from '../diff/diff-app.js';
import type { AppResourceDiff, IgnoreDifference } from '../diff/types.js';
import { gitAuth } from '../git/auth.js';
import type { RepoCache } from '../git/repo-cache.js';
import { checkRepoUrl } from '../git/repo-url.js';
import type { HealthOptions } from '../health/health.js';
import type { KubeClients } from '../kube/client.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { hookType } from './annotations.js';
import { applyObjects, type Owner, readLive, withTracking } from './apply.js';
import { checkHealth, type ResourcesHealth, waitHealthy } from './health-wait.js';
import { compareLive } from './live-compare.js';
import { enforceProject, type ProjectPolicy } from './project-policy.js';
import { type PruneResult, pruneObjects, sameObject } from './prune.js';
import { type RenderRequest, renderApplication } from './render.js';
import { RenderStore } from './render-store.js';
import type { ApplyResult, RenderedApplication, ResourceRef } from './types.js';

const refOfObject = (o: KubernetesObject): ResourceRef => ({
  apiVersion: o.apiVersion ?? '',
  kind: o.kind ?? '',
  namespace: o.metadata?.namespace,
  name: o.metadata?.name ?? '',
});

/** Dependencies of the sync activities. */
export interface SyncDeps {
  kube: KubeClients;
  repoCache: RepoCache;
  secrets: SecretStore;
  renderStore: RenderStore;
  applyConcurrency: number;
  /** The secretRef for a manifests repository URL (from the worker's repository config), if any. */
  credentialsFor: (url: string) => { name: string } | undefined;
}

/** Input of renderApp: what to render and the rules it must obey. */
export interface RenderAppInput {
  request: RenderRequest;
  cluster: string;
  project?: ProjectPolicy;
}

/** Activities of the sync engine: render, compare, apply, prune, health. */
export function syncActivities(deps: SyncDeps) {
  const api = deps.kube.objects;
  const auth = async (url: string) => {
    const ref = deps.credentialsFor(url);
    return gitAuth(url, ref ? await deps.secrets.resolve(ref) : undefined);
  };
  const namespaced = async (o: KubernetesObject) =>
    api.isNamespaced(o.apiVersion ?? '', o.kind ?? '').catch(() => true);
  const clusterScoped = async (o: KubernetesObject) => !(await namespaced(o));

  /** The objects of a render, re-rendering when this worker has not rendered that key (another worker did). */
  async function objectsOf(request: RenderRequest): Promise<KubernetesObject[]> {
    const key = RenderStore.key(request);
    const stored = deps.renderStore.get(key);
    if (stored) return stored;
    await renderOnly(request);
    return deps.renderStore.get(key) ?? [];
  }

  async function renderOnly(request: RenderRequest): Promise<RenderedApplication> {
    checkRepoUrl(request.repoURL);
    await deps.repoCache.ensureCommit(
      request.repoURL,
      request.revision,
      request.revision,
      await auth(request.repoURL),
    );
    const root = await deps.repoCache.checkout(request.repoURL, request.revision);
    heartbeat('rendering');
    return renderApplication(deps.renderStore, root, request, clusterScoped);
  }

  const pick = (objects: KubernetesObject[], refs: ResourceRef[]) =>
    objects.filter((o) =>
      refs.some((r) =>
        sameObject(r, {
          apiVersion: o.apiVersion ?? '',
          kind: o.kind ?? '',
          namespace: o.metadata?.namespace,
          name: o.metadata?.name ?? '',
        }),
      ),
    );

  /** Creates a namespace if it does not exist; never adopts (labels) one that does. */
  async function ensureNamespace(namespace: string): Promise<void> {
    if (await readLive(api, { apiVersion: 'v1', kind: 'Namespace', name: namespace })) return;
    await api
      .create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } })
      .catch((err: { code?: number }) => {
        if (err.code !== 409) throw err; // created meanwhile: fine
      });
  }

  return {
    /** Resolves a manifests repository's branch or tag to a commit. */
    async resolveSourceRevision(input: {
      repoURL: string;
      targetRevision: string;
    }): Promise<{ sha: string }> {
      checkRepoUrl(input.repoURL);
      return {
        sha: await deps.repoCache.resolve(input.repoURL, input.targetRevision, await auth(input.repoURL)),
      };
    },

    /** Fetches and renders an application at a commit, then checks it against its Project (nothing is applied). */
    async renderApp(input: RenderAppInput): Promise<RenderedApplication> {
      const rendered = await renderOnly(input.request);
      if (input.project) {
        const objects = await objectsOf(input.request);
        const checked = [];
        for (const [i, o] of objects.entries())
          checked.push({ ref: rendered.resources[i]?.ref as ResourceRef, namespaced: await namespaced(o) });
        enforceProject(
          input.project,
          { name: input.request.appName, repoURL: input.request.repoURL, cluster: input.cluster },
          checked,
        );
      }
      return rendered;
    },

    /**
     * Compares the rendered objects with the live cluster. Objects whose applied manifest and fields
     * are unchanged are Synced at the cost of one read; only the others get a server-side dry-run diff
     * (which honours ignoreDifferences), so a quiet cluster costs no write-verb requests. Inventory
     * objects no longer rendered but still tracked by the application are Extraneous.
     */
    async compareApp(input: {
      request: RenderRequest;
      owner: Owner;
      ignoreDifferences?: IgnoreDifference[];
      inventory?: ResourceRef[];
    }): Promise<AppResourceDiff[]> {
      const objects = (await objectsOf(input.request)).filter((o) => hookType(o) === undefined);
      const synced: AppResourceDiff[] = [];
      const suspect: KubernetesObject[] = [];
      for (const o of objects) {
        const ref = {
          apiVersion: o.apiVersion ?? '',
          kind: o.kind ?? '',
          namespace: o.metadata?.namespace,
          name: o.metadata?.name ?? '',
        };
        if (compareLive(withTracking(o, input.owner), await readLive(api, ref)) === 'Synced')
          synced.push({ ref, status: 'Synced', diff: '' });
        else suspect.push(o);
      }
      const diffed = await diffApplication(api, suspect, input.owner, input.ignoreDifferences ?? [], {
        // Only inventory objects that are no longer rendered at all can be Extraneous.
        inventory: (input.inventory ?? []).filter((r) => !objects.some((o) => sameObject(r, refOfObject(o)))),
      });
      return [...synced, ...diffed.resources];
    },

    /** Server-side applies the given objects of a render (only those out of sync; hooks are recreated). */
    async applyResources(input: {
      request: RenderRequest;
      owner: Owner;
      refs: ResourceRef[];
      recreate?: boolean;
      dryRun?: boolean;
      failOnSharedResource?: boolean;
      /** Create this namespace first if it does not exist (CreateNamespace=true). */
      createNamespace?: string;
      /** Fields of existing objects to leave as they are live (not compared, not written). */
      keepLive?: IgnoreDifference[];
    }): Promise<ApplyResult> {
      if (input.createNamespace && !input.dryRun) await ensureNamespace(input.createNamespace);
      const objects = pick(await objectsOf(input.request), input.refs);
      return applyObjects(api, objects, input.owner, {
        recreate: input.recreate,
        dryRun: input.dryRun,
        failOnSharedResource: input.failOnSharedResource,
        concurrency: deps.applyConcurrency,
        keepLive: input.keepLive,
      });
    },

    /** Waits (heartbeating) until the objects are Healthy, or one is Degraded. */
    async waitResourcesHealthy(input: {
      refs: ResourceRef[];
      health?: Omit<HealthOptions, 'now'>;
    }): Promise<ResourcesHealth> {
      return waitHealthy(api, input.refs, input.health ?? {});
    },

    /** Health of the objects right now. */
    async resourcesHealth(input: {
      refs: ResourceRef[];
      health?: Omit<HealthOptions, 'now'>;
    }): Promise<ResourcesHealth> {
      return checkHealth(api, input.refs, input.health ?? {});
    },

    /** Deletes objects of the previous inventory that are no longer rendered (tracking id checked). */
    async pruneResources(input: {
      owner: Owner;
      previous: ResourceRef[];
      desired: ResourceRef[];
      propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
    }): Promise<PruneResult> {
      return pruneObjects(api, input.owner, input.previous, input.desired, input.propagationPolicy);
    },
  };
}
