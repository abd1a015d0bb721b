import { join } from 'node:path';
import { ChartSources } from '../activities/charts/chart-sources.js';
import { egressFetch } from '../activities/egress/guarded-fetch.js';
import { RepoCache } from '../activities/git/repo-cache.js';
import type { ActivityDeps } from '../activities/index.js';
import { kubeClients } from '../activities/kube/client.js';
import { clusterKubeConfig } from '../activities/kube/cluster-config.js';
import type { KubeLimits } from '../activities/kube/kube-limits.js';
import {
  envSecretSource,
  fileSecretSource,
  kubernetesSecretSource,
  type SecretSource,
  SecretStore,
} from '../activities/secrets/secret-store.js';
import type { LiveView } from '../activities/sync/live-view.js';
import { RenderStore } from '../activities/sync/render-store.js';
import { adminProjectSource } from '../activities/trust/admin-projects.js';
import { type TrustConfig, trustConfig } from '../activities/trust/config.js';
import { ProjectRegistry } from '../activities/trust/projects.js';
import { SecretAccess } from '../activities/trust/secret-access.js';
import type { Caller } from '../core/identity.js';
import type { TrafficProviderName } from '../core/traffic/providers.js';
import type { SecretSourceConfig } from './config.js';

/** Where a worker's activities find the cluster, the Git cache and secrets. */
export interface ActivityDepsConfig {
  kubeconfigPath?: string;
  /** Context of the kubeconfig to use (default: its current context). */
  kubeContext?: string;
  /** Client-side limits for the Kubernetes API, like client-go's (reads and writes apart), and objects applied at once. */
  kubeLimits?: Partial<KubeLimits> & { concurrency: number };
  /** Directory for the per-repository Git cache. */
  cacheDir: string;
  /** Directory of mounted secrets (<dir>/<name>/<key>), tried after the environment. */
  secretsDir?: string;
  /** The secret store to share (run-worker builds one from the config's sources); default: environment, then secretsDir. */
  secretStore?: SecretStore;
  /** Prometheus for the built-in rollout checks. */
  prometheusAddress?: string;
  /** Traffic provider of Rollouts that name none (the config's rollouts.defaultProvider). */
  defaultTrafficProvider?: TrafficProviderName;
  /** Temporal UI base URL for alert links. */
  temporalUiUrl?: string;
  /** Slack Web API base URL. */
  slackApiUrl?: string;
  /** The administrator's decisions (Projects, bindings, secret grants, egress, limits); defaults are restrictive. */
  trust?: Partial<TrustConfig>;
  /** The cluster's live-state cache (worker/live-state.ts builds it; the caller starts and stops it). */
  live?: LiveView;
  /** The worker config's clusters (an ApplicationSet's clusters generator yields them after in-cluster). */
  clusters?: { name: string; labels?: Record<string, string> }[];
}

/** The secret sources a worker config names, in order; Kubernetes Secrets are read with the worker's kubeconfig (and its pool). */
export function secretSources(configs: SecretSourceConfig[], kubeconfigPath?: string): SecretSource[] {
  return configs.map((c) => {
    if (c.type === 'env') return envSecretSource();
    if (c.type === 'files') return fileSecretSource(c.dir);
    return kubernetesSecretSource(clusterKubeConfig(kubeconfigPath), c.namespace);
  });
}

/** Builds the dependencies every activity shares; secrets come from secretStore, else the environment, then files. */
export function buildActivityDeps(config: ActivityDepsConfig): ActivityDeps {
  const sources: SecretSource[] = [envSecretSource()];
  if (config.secretsDir) sources.push(fileSecretSource(config.secretsDir));
  const trust = trustConfig(config.trust);
  const repoCache = new RepoCache(join(config.cacheDir, 'git'), trust.git);
  const secrets = config.secretStore ?? new SecretStore(sources);
  const admin = trust.adminRepository;
  const projects = new ProjectRegistry(
    trust,
    admin ? adminProjectSource({ repoCache, secrets }, admin) : undefined,
  );
  const kube = kubeClients(config.kubeconfigPath, config.kubeContext, config.kubeLimits);
  if (config.live) kube.live = config.live;
  return {
    kube,
    applyConcurrency: config.kubeLimits?.concurrency ?? 8,
    repoCache,
    secrets,
    renderStore: new RenderStore(join(config.cacheDir, 'rendered')),
    charts: new ChartSources({
      cacheDir: join(config.cacheDir, 'charts'),
      repos: trust.helmRepositories,
      secrets,
      egress: egressFetch(trust.egress),
    }),
    credentialsFor: (url: string, caller: Caller) => {
      // A repository's credentials serve its own watcher's Applications and the Projects bound to it.
      const repo = trust.repositories.find((r) => r.url === url);
      const shared = repo && (repo.id === caller.repoId || repo.projects.includes(caller.project));
      return shared ? repo.secretRef : undefined;
    },
    trust,
    projects,
    clusters: (config.clusters ?? []).map((c) => ({
      name: c.name,
      ...(c.labels ? { labels: c.labels } : {}),
    })),
    secretAccess: new SecretAccess(secrets, trust.secretAccess, projects),
    ...(config.prometheusAddress ? { prometheusAddress: config.prometheusAddress } : {}),
    ...(config.defaultTrafficProvider ? { defaultTrafficProvider: config.defaultTrafficProvider } : {}),
    ...(config.temporalUiUrl ? { temporalUiUrl: config.temporalUiUrl } : {}),
    ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}),
  };
}
