import { join } from 'node:path';
import { RepoCache } from '../activities/git/repo-cache.js';
import type { ActivityDeps } from '../activities/index.js';
import { kubeClients } from '../activities/kube/client.js';
import {
  envSecretSource,
  fileSecretSource,
  type SecretSource,
  SecretStore,
} from '../activities/secrets/secret-store.js';
import { RenderStore } from '../activities/sync/render-store.js';

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
  /** Repositories with credentials: a manifests repository whose URL matches one uses its secretRef. */
  repositories?: { url: string; secretRef?: { name: string } }[];
  /** Prometheus for the built-in rollout checks. */
  prometheusAddress?: string;
  /** Temporal UI base URL for alert links. */
  temporalUiUrl?: string;
  /** Slack Web API base URL. */
  slackApiUrl?: string;
}

/** Builds the dependencies every activity shares; secrets come from the environment, then files. */
export function buildActivityDeps(config: ActivityDepsConfig): ActivityDeps {
  const sources: SecretSource[] = [envSecretSource()];
  if (config.secretsDir) sources.push(fileSecretSource(config.secretsDir));
  return {
    kube: kubeClients(config.kubeconfigPath, config.kubeContext, config.kubeLimits),
    applyConcurrency: config.kubeLimits?.concurrency ?? 8,
    repoCache: new RepoCache(join(config.cacheDir, 'git')),
    secrets: new SecretStore(sources),
    renderStore: new RenderStore(join(config.cacheDir, 'rendered')),
    credentialsFor: (url) => config.repositories?.find((r) => r.url === url)?.secretRef,
    ...(config.prometheusAddress ? { prometheusAddress: config.prometheusAddress } : {}),
    ...(config.temporalUiUrl ? { temporalUiUrl: config.temporalUiUrl } : {}),
    ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}),
  };
}
