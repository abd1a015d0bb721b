import type { KubernetesObject } from '@kubernetes/client-node';
import type { AppResourceDiff, IgnoreDifference } from '../../core/diff/types.js';
import type { HealthOptions } from '../../core/health/health.js';
import type { Caller } from '../../core/identity.js';
import type { ResourceRef } from '../../core/resource-ref.js';
import type { ApplyResult, RenderedApplication } from '../../core/sync/types.js';
import { refOf } from '../diff/ref.js';
import { gitAuth } from '../git/auth.js';
import type { RepoCache } from '../git/repo-cache.js';
import { checkRepoUrl } from '../git/repo-url.js';
import { whileBeating } from '../keep-alive.js';
import type { KubeClients } from '../kube/client.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { TrustConfig } from '../trust/config.js';
import type { ProjectRegistry } from '../trust/projects.js';
import { applyObjects, type Owner, readLive, withTracking } from './apply.js';
import { compareApplication } from './compare-app.js';
import { composedSyncActivities } from './composed.js';
import { checkHealth, type ResourcesHealth, waitHealthy } from './health-wait.js';
import { watchKindsOf } from './live-view.js';
import { checkDestination, checkSource, enforceProject } from './project-policy.js';
import { type PruneResult, pruneObjects, sameObject } from './prune.js';
import { type RenderRequest, renderApplication } from './render.js';
import { RenderStore } from './render-store.js';
import { resolveSourcesActivity } from './resolve-sources.js';
import { namespacedAmong } from './resource-scope.js';

/** Dependencies of the sync activities. */
export interface SyncDeps {
  kube: KubeClients;
  repoCache: RepoCache;
  secrets: SecretStore;
  renderStore: RenderStore;
  applyConcurrency: number;
  /** The secretRef of a configured repository URL, when the caller may use it. */
  credentialsFor: (url: string, caller: Caller) => { name: string } | undefined;
  /** The administrator's Projects: every activity reads the caller's rules here when it acts. */
  projects: ProjectRegistry;
  /** The administrator's decisions; renders read the remote kustomize bases allowed (none when absent). */
  trust?: Pick<TrustConfig, 'kustomizeRemoteBases'>;
}

/** Input of renderApp: what to render, for which application, to which cluster. */
export interface RenderAppInput {
  request: RenderRequest;
  cluster: string;
  owner: Owner;
}

/** Activities of the sync engine: render, compare, apply, prune, health. */
export function syncActivities(deps: SyncDeps) {
  const api = deps.kube.objects;
  const auth = async (url: string, caller: Caller) => {
    const ref = deps.credentialsFor(url, caller);
    return gitAuth(url, ref ? await deps.secrets.resolve(ref) : undefined);
  };
  // Never guessed: discovery, else a CRD of the same render (resource-scope.ts); errors propagate.
  const clusterScoped = async (o: KubernetesObject, rendered: KubernetesObject[]) =>
    !(await namespacedAmong(api, rendered)(o));

  /** The objects of a render, re-rendering when this worker has not rendered that key (another worker did). */
  async function objectsOf(request: RenderRequest, owner: Owner): Promise<KubernetesObject[]> {
    const key = RenderStore.key(request);
    const stored = deps.renderStore.get(key);
    if (stored) return stored;
    await renderOnly(request, owner);
    return deps.renderStore.get(key) ?? [];
  }

  /** Fetches and renders, after checking that the owner's Project lets it read the source at all. */
  async function renderOnly(request: RenderRequest, owner: Owner): Promise<RenderedApplication> {
    checkRepoUrl(request.repoURL);
    checkSource(await deps.projects.policyFor(owner), { name: owner.app, repoURL: request.repoURL });
    const credentials = await auth(request.repoURL, owner);
    const root = await whileBeating({ fetching: request.repoURL, revision: request.revision }, async () => {
      await deps.repoCache.ensureCommit(request.repoURL, request.revision, request.revision, credentials);
      return deps.repoCache.checkout(request.repoURL, request.revision);
    });
    // A helm or kustomize subprocess gives no progress to report: beat on a timer while it runs.
    return whileBeating({ rendering: request.path }, () =>
      renderApplication(deps.renderStore, root, request, clusterScoped, {
        kustomizeRemoteBases: deps.trust?.kustomizeRemoteBases ?? [],
      }),
    );
  }

  const pick = (objects: KubernetesObject[], refs: ResourceRef[]) =>
    objects.filter((o) => refs.some((r) => sameObject(r, refOf(o))));

  /**
   * Creates the destination namespace if it does not exist, once the owner's Project allows it; never
   * adopts one that does. A namespace it creates carries the owner's tracking id, so the application
   * may also declare it.
   */
  async function ensureNamespace(owner: Owner, cluster: string, namespace: string): Promise<void> {
    checkDestination(await deps.projects.policyFor(owner), { name: owner.app, cluster, namespace });
    // The cache watches every namespace (not only Sluice's), so "no" from it is an answer.
    const known = deps.kube.live?.namespaceExists(namespace);
    if (known === true) return;
    if (
      known === undefined &&
      (await readLive(api, { apiVersion: 'v1', kind: 'Namespace', name: namespace }))
    )
      return;
    const tracked = withTracking(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
      owner,
    );
    await api.create(tracked).catch((err: { code?: number }) => {
      if (err.code !== 409) throw err; // created meanwhile: fine
    });
  }

  const steps = {
    /** Resolves a manifests repository's branch or tag to a commit, if the owner's Project lets it read it. */
    async resolveSourceRevision(input: {
      repoURL: string;
      targetRevision: string;
      owner: Owner;
    }): Promise<{ sha: string }> {
      checkRepoUrl(input.repoURL);
      checkSource(await deps.projects.policyFor(input.owner), {
        name: input.owner.app,
        repoURL: input.repoURL,
      });
      const credentials = await auth(input.repoURL, input.owner);
      const sha = await whileBeating({ resolving: input.repoURL }, () =>
        deps.repoCache.resolve(input.repoURL, input.targetRevision, credentials),
      );
      return { sha };
    },

    /** Fetches and renders an application at a commit, then checks it against its Project (nothing is applied). */
    async renderApp(input: RenderAppInput): Promise<RenderedApplication> {
      const { request, owner } = input;
      const rendered = await renderOnly(request, owner);
      // The cache starts watching these kinds now, so the apply and health wait after this find them listed.
      const watching = watchKindsOf(
        deps.kube.live,
        rendered.resources.map((r) => r.ref),
      );
      const objects = await objectsOf(request, owner);
      const namespaced = namespacedAmong(api, objects);
      // Discovery per object can take a while on a large render.
      const checked = await whileBeating({ checking: objects.length }, async () => {
        const out = [];
        for (const [i, o] of objects.entries())
          out.push({ ref: rendered.resources[i]?.ref as ResourceRef, namespaced: await namespaced(o) });
        return out;
      });
      enforceProject(
        await deps.projects.policyFor(owner),
        { name: owner.app, repoURL: request.repoURL, cluster: input.cluster, namespace: request.namespace },
        checked,
      );
      await watching;
      return rendered;
    },

    /** Compares the rendered objects with the live cluster (compare-app.ts: from the live-state cache where it can). */
    async compareApp(input: {
      request: RenderRequest;
      owner: Owner;
      ignoreDifferences?: IgnoreDifference[];
      inventory?: ResourceRef[];
    }): Promise<AppResourceDiff[]> {
      const objects = await objectsOf(input.request, input.owner);
      return compareApplication(
        { api, live: deps.kube.live },
        objects,
        input.owner,
        input.ignoreDifferences ?? [],
        input.inventory ?? [],
      );
    },

    /** Server-side applies the given objects of a render (only those out of sync; hooks are recreated). */
    async applyResources(input: {
      request: RenderRequest;
      owner: Owner;
      refs: ResourceRef[];
      recreate?: boolean;
      dryRun?: boolean;
      /** Take over objects that exist without Sluice's tracking id (AdoptExisting=true). */
      adopt?: boolean;
      /** The destination cluster, for the Project's destination rules. */
      cluster: string;
      /** Create this namespace first if it does not exist (CreateNamespace=true). */
      createNamespace?: string;
      /** Fields of existing objects to leave as they are live (not compared, not written). */
      keepLive?: IgnoreDifference[];
    }): Promise<ApplyResult> {
      if (input.createNamespace && !input.dryRun)
        await ensureNamespace(input.owner, input.cluster, input.createNamespace);
      const objects = pick(await objectsOf(input.request, input.owner), input.refs);
      return whileBeating({ applying: objects.length }, () =>
        applyObjects(api, objects, input.owner, {
          recreate: input.recreate,
          dryRun: input.dryRun,
          adopt: input.adopt,
          concurrency: deps.applyConcurrency,
          keepLive: input.keepLive,
          live: deps.kube.live,
        }),
      );
    },

    /** Waits (heartbeating) until the objects are Healthy, or one is Degraded. */
    async waitResourcesHealthy(input: {
      refs: ResourceRef[];
      health?: Omit<HealthOptions, 'now'>;
    }): Promise<ResourcesHealth> {
      return waitHealthy(api, input.refs, { ...input.health, live: deps.kube.live });
    },

    /** Health of the objects right now. */
    async resourcesHealth(input: {
      refs: ResourceRef[];
      health?: Omit<HealthOptions, 'now'>;
    }): Promise<ResourcesHealth> {
      return checkHealth(api, input.refs, input.health ?? {}, deps.kube.live);
    },

    /** Deletes objects of the previous inventory that are no longer rendered (tracking id checked). */
    async pruneResources(input: {
      owner: Owner;
      previous: ResourceRef[];
      desired: ResourceRef[];
      propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
    }): Promise<PruneResult> {
      return whileBeating({ pruning: input.previous.length }, () =>
        pruneObjects(api, input.owner, input.previous, input.desired, input.propagationPolicy),
      );
    },
  };
  return { ...steps, ...composedSyncActivities(steps), ...resolveSourcesActivity(deps) };
}
