import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { RepoCache } from '../activities/git/repo-cache.js';
import type { ActivityDeps } from '../activities/index.js';
import { kubeClients } from '../activities/kube/client.js';
import {
  envSecretSource,
  fileSecretSource,
  kubernetesSecretSource,
  type SecretSource,
  SecretStore,
} from '../activities/secrets/secret-store.js';
import { RenderStore } from '../activities/sync/render-store.js';
import { type TrustConfig, trustConfig } from '../activities/trust/config.js';
import type { SecretSourceConfig } from './config.js';

/** Where a worker's activities find the cluster, the Git cache and secrets. */
export interface ActivityDepsConfig {
  kubeconfigPath?: string;
  /** Context of the kubeconfig to use (default: its current context). */
  kubeContext?: string;
  /** Client-side limits for the Kubernetes API, like client-go's: requests/s, burst, and objects applied at once. */
  kubeLimits?: { qps: number; burst: number; concurrency: number };
  /** Directory for the per-repository Git cache. */
  cacheDir: string;
  /** Directory of mounted secrets (<dir>/<name>/<key>), tried after the environment. */
  secretsDir?: string;
  /** The secret store to share (run-worker builds one from the config's sources); default: environment, then secretsDir. */
  secretStore?: SecretStore;
  /** Repositories with credentials: a manifests repository whose URL matches one uses its secretRef. */
  repositories?: { url: string; secretRef?: { name: string } }[];
  /** Prometheus for the built-in rollout checks. */
  prometheusAddress?: string;
  /** Temporal UI base URL for alert links. */
  temporalUiUrl?: string;
  /** Slack Web API base URL. */
  slackApiUrl?: string;
  /** The administrator's decisions (Projects, bindings, secret grants, egress, limits); defaults are restrictive. */
  trust?: Partial<TrustConfig>;
}

/** The secret sources a worker config names, in order; Kubernetes Secrets are read with the worker's kubeconfig. */
export function secretSources(configs: SecretSourceConfig[], kubeconfigPath?: string): SecretSource[] {
  return configs.map((c) => {
    if (c.type === 'env') return envSecretSource();
    if (c.type === 'files') return fileSecretSource(c.dir);
    const kc = new KubeConfig();
    if (kubeconfigPath) kc.loadFromFile(kubeconfigPath);
    else kc.loadFromDefault();
    return kubernetesSecretSource(kc, c.namespace);
  });
}

/** Builds the dependencies every activity shares; secrets come from secretStore, else the environment, then files. */
export function buildActivityDeps(config: ActivityDepsConfig): ActivityDeps {
  const sources: SecretSource[] = [envSecretSource()];
  if (config.secretsDir) sources.push(fileSecretSource(config.secretsDir));
  return {
    kube: kubeClients(config.kubeconfigPath, config.kubeContext, config.kubeLimits),
    applyConcurrency: config.kubeLimits?.concurrency ?? 8,
    repoCache: new RepoCache(join(config.cacheDir, 'git')),
    secrets: config.secretStore ?? new SecretStore(sources),
    renderStore: new RenderStore(join(config.cacheDir, 'rendered')),
    credentialsFor: (url) => config.repositories?.find((r) => r.url === url)?.secretRef,
    trust: trustConfig(config.trust),
    ...(config.prometheusAddress ? { prometheusAddress: config.prometheusAddress } : {}),
    ...(config.temporalUiUrl ? { temporalUiUrl: config.temporalUiUrl } : {}),
    ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}),
  };
}
