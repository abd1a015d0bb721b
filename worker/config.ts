import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import type { RepositoryConfig } from './repositories.js';

/** Configuration of a Sluice worker process (`sluice worker --config FILE`). */
export interface WorkerConfig {
  temporal: { address: string; namespace: string };
  taskQueue: string;
  kubeconfig?: string;
  cacheDir: string;
  secretsDir?: string;
  webhooks: { host: string; port: number; maxBodyBytes: number };
  repositories: RepositoryConfig[];
  /** Client-side limits for Kubernetes API calls (defaults: 50 requests/s, burst 100, 8 objects applied at once). */
  kube: { qps: number; burst: number; concurrency: number };
  /** Other clusters this process serves, each on its own task queue (sluice-cluster-<name>). */
  clusters: ClusterConfig[];
  /** Serve only this cluster's task queue (a worker running inside that cluster): no workflows, watchers or webhooks. */
  serveCluster?: string;
  /** Prometheus for the built-in rollout checks and MetricTemplates that name no address. */
  prometheus?: { address: string };
  /** Temporal UI base URL for links in alerts, e.g. http://127.0.0.1:8233. */
  temporalUiUrl?: string;
  /** Slack Web API base URL (default https://slack.com/api/), e.g. https://slack-gov.com/api/ or a proxy. */
  slackApiUrl?: string;
}

/** A destination cluster and the credentials to reach it. */
export interface ClusterConfig {
  name: string;
  kubeconfig?: string;
  context?: string;
}

const ref = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: { name: { type: 'string', minLength: 1 } },
};

const schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    temporal: {
      type: 'object',
      additionalProperties: false,
      properties: { address: { type: 'string' }, namespace: { type: 'string' } },
    },
    taskQueue: { type: 'string', minLength: 1 },
    kubeconfig: { type: 'string' },
    cacheDir: { type: 'string' },
    secretsDir: { type: 'string' },
    webhooks: {
      type: 'object',
      additionalProperties: false,
      properties: {
        host: { type: 'string' },
        port: { type: 'integer', minimum: 0, maximum: 65535 },
        maxBodyBytes: { type: 'integer', minimum: 1 },
      },
    },
    kube: {
      type: 'object',
      additionalProperties: false,
      properties: {
        qps: { type: 'number', exclusiveMinimum: 0 },
        burst: { type: 'integer', minimum: 1 },
        concurrency: { type: 'integer', minimum: 1, maximum: 256 },
      },
    },
    serveCluster: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' },
    prometheus: {
      type: 'object',
      additionalProperties: false,
      required: ['address'],
      properties: { address: { type: 'string', pattern: '^https?://' } },
    },
    temporalUiUrl: { type: 'string', pattern: '^https?://' },
    slackApiUrl: { type: 'string', pattern: '^https?://' },
    clusters: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: {
          name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', not: { const: 'in-cluster' } },
          kubeconfig: { type: 'string' },
          context: { type: 'string' },
        },
      },
    },
    repositories: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'url'],
        properties: {
          id: { type: 'string', pattern: '^[\\w.-]+$' },
          url: { type: 'string', minLength: 1 },
          revision: { type: 'string', minLength: 1 },
          path: { type: 'string' },
          pollInterval: { type: 'string', pattern: '^(\\d+(\\.\\d+)?(ms|s|m|h|d))+$' },
          allowEmpty: { type: 'boolean' },
          secretRef: ref,
          webhookSecretRef: ref,
        },
      },
    },
  },
} as const;

const validate = new Ajv({ allErrors: true }).compile(schema);

/** Reads a worker config file (YAML), applies SLUICE_TEMPORAL_ADDRESS / _NAMESPACE / SLUICE_TASK_QUEUE / SLUICE_PROMETHEUS_ADDRESS / SLUICE_TEMPORAL_UI_URL, and fills defaults. */
export function loadWorkerConfig(
  file: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): WorkerConfig {
  const raw = (file ? parse(readFileSync(file, 'utf8')) : {}) ?? {};
  if (!validate(raw)) {
    const problems = (validate.errors ?? []).map(
      (e) =>
        `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${e.params.additionalProperty})` : ''}`,
    );
    throw new Error(`${file}: invalid worker config:\n  ${problems.join('\n  ')}`);
  }
  const c = raw as Partial<Omit<WorkerConfig, 'repositories'>> & {
    repositories?: Partial<RepositoryConfig>[];
  };
  return {
    temporal: {
      address: env.SLUICE_TEMPORAL_ADDRESS || c.temporal?.address || '127.0.0.1:7233',
      namespace: env.SLUICE_TEMPORAL_NAMESPACE || c.temporal?.namespace || 'default',
    },
    taskQueue: env.SLUICE_TASK_QUEUE || c.taskQueue || 'sluice',
    kubeconfig: c.kubeconfig,
    cacheDir: c.cacheDir || join(homedir(), '.cache', 'sluice', 'worker'),
    secretsDir: c.secretsDir,
    webhooks: {
      host: c.webhooks?.host || '127.0.0.1',
      port: c.webhooks?.port ?? 9480,
      maxBodyBytes: c.webhooks?.maxBodyBytes ?? 1024 * 1024,
    },
    kube: { qps: c.kube?.qps ?? 50, burst: c.kube?.burst ?? 100, concurrency: c.kube?.concurrency ?? 8 },
    clusters: c.clusters ?? [],
    serveCluster: c.serveCluster,
    ...(env.SLUICE_PROMETHEUS_ADDRESS || c.prometheus
      ? { prometheus: { address: env.SLUICE_PROMETHEUS_ADDRESS || (c.prometheus?.address as string) } }
      : {}),
    ...(c.slackApiUrl ? { slackApiUrl: c.slackApiUrl } : {}),
    ...(env.SLUICE_TEMPORAL_UI_URL || c.temporalUiUrl
      ? { temporalUiUrl: env.SLUICE_TEMPORAL_UI_URL || c.temporalUiUrl }
      : {}),
    repositories: (c.repositories ?? []).map(
      (r) => ({ revision: 'main', path: '.', ...r }) as RepositoryConfig,
    ),
  };
}
