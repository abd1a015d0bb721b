import type { KubernetesObject } from '@kubernetes/client-node';
import type { AppResourceDiff, IgnoreDifference } from '../../core/diff/types.js';
import type { HealthOptions } from '../../core/health/health.js';
import type { Caller } from '../../core/identity.js';
import type { ResourceRef } from '../../core/resource-ref.js';
import type { ApplyResult, RenderedApplication } from '../../core/sync/types.js';
import { mayUseHelm } from '../../core/sync/uses-helm.js';
import type { RenderPolicy } from '../../plugins/renderers/factory.js';
import type { ApplicationSource } from '../../schemas/types.generated.js';
import { type ChartSources, fetchDependency } from '../charts/chart-sources.js';
import { refOf } from '../diff/ref.js';
import { gitAuth } from '../git/auth.js';
import type { RepoCache } from '../git/repo-cache.js';
import { checkRepoUrl } from '../git/repo-url.js';
import { whileBeating } from '../keep-alive.js';
import type { KubeClients } from '../kube/client.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { TrustConfig } from '../trust/config.js';
import type { ProjectRegistry } from '../trust/projects.js';
import type { SecretAccess } from '../trust/secret-access.js';
import { applyObjects, type Owner, readLive, withTracking } from './apply.js';
import { namespaceData } from './cluster-values.js';
import { compareApplication } from './compare-app.js';
import { composedSyncActivities } from './composed.js';
import { ageKeysOf } from './decrypt.js';
import { checkHealth, type ResourcesHealth, waitHealthy } from './health-wait.js';
import { deleteHookObjects } from './hook-delete.js';
import { watchKindsOf } from './live-view.js';
import { checkDestination, checkSource, enforceProject } from './project-policy.js';
import { type PruneResult, pruneObjects, sameObject } from './prune.js';
import { type RenderContext, type RenderRequest, renderApplication, singleSource } from './render.js';
import { RenderStore } from './render-store.js';
import { resolveSourcesActivity } from './resolve-sources.js';
import { namespacedAmong } from './resource-scope.js';
import { type FetchedSource, fetchAll, resolveAll, type SourceDeps } from './source-revisions.js';

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
  /** Chart sources (resolve, fetch, cache); a chart Application on a worker without it fails with a clear error. */
  charts?: ChartSources;
  /** The administrator's decisions; renders read the remote kustomize bases allowed (none when absent). */
  trust?: Pick<TrustConfig, 'kustomizeRemoteBases'>;
  /** Secrets named by pipeline files (spec.decryption), handed out per the administrator's grants. */
  secretAccess: SecretAccess;
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

  /**
   * The objects of a render, re-rendering when this worker has not rendered that key (another worker did).
   * Takes the request as withCapabilities answered it, once per activity, so one activity renders and reads one key.
   */
  async function objectsOf(request: RenderRequest, owner: Owner): Promise<KubernetesObject[]> {
    const key = RenderStore.key(request);
    const stored = deps.renderStore.get(key);
    if (stored) return stored;
    await renderOnly(request, owner);
    return deps.renderStore.get(key) ?? [];
  }

  const sourceDeps: SourceDeps = {
    repoCache: deps.repoCache,
    projects: deps.projects,
    gitAuth: auth,
    ...(deps.charts ? { charts: deps.charts } : {}),
  };
  /** What renders get from the worker: the administrator's policy, the destination's capabilities, the dependency fetcher. */
  const renderPolicy = (request: RenderRequest, owner: Owner): RenderPolicy => {
    const charts = deps.charts;
    return {
      kustomizeRemoteBases: deps.trust?.kustomizeRemoteBases ?? [],
      ...(request.capabilities ? { capabilities: request.capabilities } : {}),
      ...(charts ? { chartDependency: (dep) => fetchDependency(charts, dep, owner) } : {}),
    };
  };

  /**
   * The request as this worker renders it: with the destination's capabilities when helm may run, read from
   * discovery here (whatever the caller put there), so they are part of the render key and an upgraded
   * cluster gets a fresh render.
   */
  async function withCapabilities(request: RenderRequest): Promise<RenderRequest> {
    const { capabilities: _ignored, ...rest } = request;
    if (!mayUseHelm(rest) || !deps.kube.capabilities) return rest;
    return { ...rest, capabilities: await deps.kube.capabilities() };
  }

  /** Fetches and renders, after checking that the owner's Project lets it read the sources at all. */
  async function renderOnly(request: RenderRequest, owner: Owner): Promise<RenderedApplication> {
    const fetched = await whileBeating({ fetching: request.repoURL, revision: request.revision }, () =>
      fetchSources(request, owner),
    );
    // A helm or kustomize subprocess gives no progress to report: beat on a timer while it runs.
    return whileBeating({ rendering: request.sources ? request.appName : request.path }, () =>
      renderApplication(
        deps.renderStore,
        request,
        fetched,
        clusterScoped,
        renderPolicy(request, owner),
        renderContext(request, owner),
      ),
    );
  }

  /** Every source's files at the request's revision(s): checkouts and unpacked charts. */
  async function fetchSources(request: RenderRequest, owner: Owner): Promise<FetchedSource[]> {
    if (request.sources) return fetchAll(sourceDeps, request.sources, owner);
    checkRepoUrl(request.repoURL);
    checkSource(await deps.projects.policyFor(owner), { name: owner.app, repoURL: request.repoURL });
    const credentials = await auth(request.repoURL, owner);
    await deps.repoCache.ensureCommit(request.repoURL, request.revision, request.revision, credentials);
    return singleSource(request, await deps.repoCache.checkout(request.repoURL, request.revision));
  }

  /** The keys and cluster reads a render may need, each checked against the owner's grants and Project first. */
  function renderContext(request: RenderRequest, owner: Owner): RenderContext {
    return {
      async decryptionKeys() {
        const name = request.decryption?.secretRef.name ?? '';
        // Age keys never leave the worker: the Project's grant is checked, no destination is.
        const values = await deps.secretAccess.resolve({ name }, { caller: owner, keptOnWorker: true });
        return ageKeysOf(values, name);
      },
      async readData() {
        // Only the destination namespace, and only when the Project lets the app deploy there.
        const cluster = request.cluster ?? 'in-cluster';
        checkDestination(await deps.projects.policyFor(owner), {
          name: owner.app,
          cluster,
          namespace: request.namespace,
        });
        return namespaceData(deps.kube.core, request.namespace);
      },
    };
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
      /** A chart or multi-source Application's sources: the answer is every source's revision (joinRevisions). */
      sources?: ApplicationSource[];
    }): Promise<{ sha: string }> {
      const sources = input.sources;
      if (sources)
        return {
          sha: await whileBeating({ resolving: sources.length }, () =>
            resolveAll(sourceDeps, sources, input.owner),
          ),
        };
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
      const { owner } = input;
      const request = await withCapabilities(input.request);
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
        // From the object, not the plan: a hook of two phases has two plan entries.
        for (const o of objects) out.push({ ref: refOf(o), namespaced: await namespaced(o) });
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
      const objects = await objectsOf(await withCapabilities(input.request), input.owner);
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
      /** Create what is absent, leave what exists (hooks without the BeforeHookCreation policy). */
      createOnly?: boolean;
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
      const objects = pick(await objectsOf(await withCapabilities(input.request), input.owner), input.refs);
      return whileBeating({ applying: objects.length }, () =>
        applyObjects(api, objects, input.owner, {
          recreate: input.recreate,
          createOnly: input.createOnly,
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

    /** Deletes hooks after they ran, as their delete policy says (tracking id checked; absent is fine). */
    async deleteHooks(input: { owner: Owner; refs: ResourceRef[] }): Promise<PruneResult> {
      return whileBeating({ deletingHooks: input.refs.length }, () =>
        deleteHookObjects(api, input.owner, input.refs),
      );
    },

    /** Deletes objects of the previous inventory that are no longer rendered (tracking id checked). */
    async pruneResources(input: {
      owner: Owner;
      previous: ResourceRef[];
      desired: ResourceRef[];
      propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
      /** The Application is being removed: Argo CD's Delete=false keeps an object, its Prune=false does not. */
      removal?: boolean;
    }): Promise<PruneResult> {
      return whileBeating({ pruning: input.previous.length }, () =>
        pruneObjects(
          api,
          input.owner,
          input.previous,
          input.desired,
          input.propagationPolicy,
          input.removal ?? false,
        ),
      );
    },
  };
  return { ...steps, ...composedSyncActivities(steps), ...resolveSourcesActivity(deps) };
}
