import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { approverPublicKey } from '../activities/approvals/token.js';
import type { ChartRepoConfig } from '../activities/charts/chart-repos.js';
import { checkRepoUrl } from '../activities/git/repo-url.js';
import { defaultKubeLimits, type KubeLimits } from '../activities/kube/kube-limits.js';
import {
  type ApproverConfig,
  type ProjectConfig,
  type SecretGrant,
  type TrustConfig,
  trustConfig,
} from '../activities/trust/config.js';
import type { TrafficProviderName } from '../core/traffic/providers.js';
import { durationMs } from '../workflows/shared/duration.js';
import { WorkerConfigError } from './config-error.js';
import { parseWorkerConfig } from './config-file.js';
import type { DeploymentConfig } from './deployment.js';
import type { LogLevelName } from './logger.js';
import type { RepositoryConfig } from './repositories.js';
import { tuningProblems, type WorkerTuning } from './tuning.js';

/** How the worker reaches Temporal: address, namespace, and optionally TLS (mTLS) and an API key. */
export interface TemporalConfig {
  address: string;
  namespace: string;
  /** TLS to the frontend; absent means plaintext. An API key turns TLS on; with `tls: false` it is an error. */
  tls?: TemporalTlsConfig;
  /** API key from SLUICE_TEMPORAL_API_KEY; never logged. Wins over apiKeyFile. */
  apiKey?: string;
  /** File holding the API key (a mounted Secret), read when the worker connects. */
  apiKeyFile?: string;
}

/** PEM files for TLS to Temporal; all optional (no CA = the system's trust store). */
export interface TemporalTlsConfig {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  /** Overrides the name checked against the server's certificate (SNI). */
  serverName?: string;
}

/** One place activities look secrets up, tried in the configured order. */
export type SecretSourceConfig =
  | { type: 'env' }
  | { type: 'files'; dir: string }
  | { type: 'kubernetes'; namespace: string };

/** Configuration of a Sluice worker process (`sluice worker --config FILE`). */
export interface WorkerConfig {
  temporal: TemporalConfig;
  taskQueue: string;
  /** Who this process is in Temporal (each activity's lastWorkerIdentity; default the SDK's `<pid>@<hostname>`). */
  identity?: string;
  /** Task slots, pollers and workflow cache of the Temporal workers (worker/tuning.ts; absent = the SDK's defaults). */
  tuning: WorkerTuning;
  kubeconfig?: string;
  cacheDir: string;
  /** Files <secretsDir>/<name>/<key> (where `sluice repo add` writes): a files source after the `secrets` list. */
  secretsDir?: string;
  /** Secret sources in lookup order (default: env, then files under secretsDir when set). */
  secrets: SecretSourceConfig[];
  /** npm packages loaded at start-up whose renderers become plugin names (loadRendererPlugins), resolved from
   * `dir`'s node_modules (default: where Sluice is installed). */
  plugins: { renderers: string[]; dir?: string };
  webhooks: { host: string; port: number; maxBodyBytes: number };
  /** Serves GET /healthz and GET /metrics (Prometheus); off unless configured (port default 9464, host 127.0.0.1). */
  metrics?: { host: string; port: number; fleetCacheTtl: string };
  /** Serves the Temporal SDK's own Prometheus metrics (Runtime telemetry); off unless configured (port default 9465). */
  sdkMetrics?: { host: string; port: number };
  /** Lowest level logged (default info); `--log-level` overrides it. */
  logLevel: LogLevelName;
  /** How long running activities may take to finish after SIGTERM before they are cancelled (default 30s). */
  shutdownGraceTime: string;
  repositories: RepositoryConfig[];
  /** Defaults for the Applications the repository watchers start (a spec's own syncPolicy.refreshInterval wins). */
  applications: ApplicationDefaults;
  /** Defaults of every Rollout: the traffic provider of those that name none (absent = kubernetes). */
  rollouts: { defaultProvider?: TrafficProviderName };
  /** Client-side limits for Kubernetes API calls, per cluster (defaults: reads 50/s burst 100, writes 50/s burst
   * 100, 32 requests in flight, 8 objects applied at once); a cluster's own `kube` overrides them. */
  kube: WorkerKubeLimits;
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
  /** Run the workflow worker as a Worker Deployment version (docs/upgrading.md); absent = unversioned. */
  deployment?: DeploymentConfig;
  /** What the administrator decides and activities enforce: Projects, bindings, secret grants, egress, limits. */
  trust: TrustConfig;
}

/** Worker-wide defaults of every Application. */
export interface ApplicationDefaults {
  /** How often an Application looks again when no commit or live change woke it: a safety net (default "3m"). */
  refreshInterval: string;
}

/** The shortest refreshInterval accepted: a shorter one would make the safety net the main path again. */
const MIN_REFRESH_MS = 10_000;

/** The `applications` block with its default; a refreshInterval under 10s is refused with the reason. */
function applicationDefaults(
  c: { refreshInterval?: string } | undefined,
  where: string,
): ApplicationDefaults {
  const refreshInterval = c?.refreshInterval ?? '3m';
  if (durationMs(refreshInterval) < MIN_REFRESH_MS)
    throw new WorkerConfigError(
      `${where}: applications.refreshInterval "${refreshInterval}" is shorter than 10s: it is a safety net (new commits and live changes wake an Application at once); use 10s or more, e.g. "3m"`,
    );
  return { refreshInterval };
}

/** A cluster's API limits plus how many objects a sync applies at once. */
export type WorkerKubeLimits = KubeLimits & { concurrency: number };

/** A destination cluster and the credentials to reach it. */
export interface ClusterConfig {
  name: string;
  kubeconfig?: string;
  context?: string;
  /** This cluster's limits; each one not named here is the worker-wide `kube` value. */
  kube?: Partial<WorkerKubeLimits>;
  /** Labels an ApplicationSet's clusters generator selects on (selector.matchLabels). */
  labels?: Record<string, string>;
}

/** Environment variables that override the config file (documented in `sluice worker --help`). */
export const workerEnvironment = [
  'SLUICE_TEMPORAL_ADDRESS',
  'SLUICE_TEMPORAL_NAMESPACE',
  'SLUICE_TEMPORAL_API_KEY',
  'SLUICE_TEMPORAL_TLS',
  'SLUICE_TEMPORAL_TLS_CA',
  'SLUICE_TEMPORAL_TLS_CERT',
  'SLUICE_TEMPORAL_TLS_KEY',
  'SLUICE_TEMPORAL_TLS_SERVER_NAME',
  'SLUICE_TASK_QUEUE',
  'SLUICE_WORKER_IDENTITY',
  'SLUICE_METRICS_PORT',
  'SLUICE_PROMETHEUS_ADDRESS',
  'SLUICE_TEMPORAL_UI_URL',
  'SLUICE_DEPLOYMENT_BUILD_ID',
] as const;

type Size = number | string;

type RawConfig = Partial<
  Omit<
    WorkerConfig,
    | 'repositories'
    | 'temporal'
    | 'metrics'
    | 'sdkMetrics'
    | 'logLevel'
    | 'secrets'
    | 'plugins'
    | 'trust'
    | 'kube'
    | 'applications'
    | 'rollouts'
  >
> & {
  rollouts?: { defaultProvider?: TrafficProviderName };
  applications?: { refreshInterval?: string };
  kube?: Partial<WorkerKubeLimits>;
  projects?: ProjectConfig[];
  adminRepository?: {
    url: string;
    revision?: string;
    path?: string;
    secretRef?: { name: string };
    refreshInterval?: string;
  };
  secretAccess?: (Omit<SecretGrant, 'hosts'> & { hosts?: string[] })[];
  egress?: { allow?: string[]; maxResponseBytes?: Size };
  git?: { maxObjectBytes?: Size; maxPackBytes?: Size; maxCheckoutBytes?: Size; maxFiles?: number };
  render?: { kustomize?: { remoteBases?: string[] } };
  helmRepositories?: ChartRepoConfig[];
  approvers?: { name: string; publicKey?: string; publicKeyFile?: string; groups?: string[] }[];
  requireSignedApprovals?: boolean;
  temporal?: { address?: string; namespace?: string; tls?: boolean | TemporalTlsConfig; apiKeyFile?: string };
  metrics?: { host?: string; port?: number; fleetCacheTtl?: string };
  sdkMetrics?: { host?: string; port?: number };
  logLevel?: LogLevelName;
  secrets?: SecretSourceConfig[];
  plugins?: { renderers?: string[]; dir?: string };
  repositories?: Partial<RepositoryConfig>[];
};

export { WorkerConfigError } from './config-error.js';

/**
 * Reads a worker config file (YAML), applies the environment (`workerEnvironment`: SLUICE_TEMPORAL_*,
 * SLUICE_TASK_QUEUE, SLUICE_METRICS_PORT, …), and fills defaults. Reads no TLS or key files: see temporalConnectionOptions.
 */
export function loadWorkerConfig(
  file: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): WorkerConfig {
  const c = (file ? parseWorkerConfig(file, readFileSync(file, 'utf8')) : {}) as RawConfig;
  const where = file ?? 'worker config';
  // A `metrics` block turns the status server on (default port 9464); SLUICE_METRICS_PORT does too.
  const metricsPort = env.SLUICE_METRICS_PORT
    ? parsePort(env.SLUICE_METRICS_PORT)
    : c.metrics && (c.metrics.port ?? 9464);
  const shutdownGraceTime = c.shutdownGraceTime ?? '30s';
  const kube: WorkerKubeLimits = { ...defaultKubeLimits, concurrency: 8, ...c.kube };
  const repositories = (c.repositories ?? []).map(
    (r) => ({ revision: 'main', path: '.', projects: ['default'], ...r }) as RepositoryConfig,
  );
  for (const r of repositories) checkConfigRepoUrl(r.url, `repositories[${r.id}].url`, where);
  if (c.adminRepository) checkConfigRepoUrl(c.adminRepository.url, 'adminRepository.url', where);
  return {
    temporal: temporalConfig(c.temporal ?? {}, env, where),
    taskQueue: env.SLUICE_TASK_QUEUE || c.taskQueue || 'sluice',
    ...(env.SLUICE_WORKER_IDENTITY || c.identity
      ? { identity: env.SLUICE_WORKER_IDENTITY || (c.identity as string) }
      : {}),
    tuning: workerTuning(c.tuning, where),
    kubeconfig: c.kubeconfig,
    cacheDir: c.cacheDir || join(homedir(), '.cache', 'sluice', 'worker'),
    secretsDir: c.secretsDir,
    secrets: secretSources(c.secrets, c.secretsDir),
    plugins: { renderers: c.plugins?.renderers ?? [], ...(c.plugins?.dir ? { dir: c.plugins.dir } : {}) },
    webhooks: {
      host: c.webhooks?.host || '127.0.0.1',
      port: c.webhooks?.port ?? 9480,
      maxBodyBytes: c.webhooks?.maxBodyBytes ?? 1024 * 1024,
    },
    ...(metricsPort !== undefined
      ? {
          metrics: {
            host: c.metrics?.host || '127.0.0.1',
            port: metricsPort,
            fleetCacheTtl: c.metrics?.fleetCacheTtl ?? '15s',
          },
        }
      : {}),
    ...(c.sdkMetrics
      ? { sdkMetrics: { host: c.sdkMetrics.host || '127.0.0.1', port: c.sdkMetrics.port ?? 9465 } }
      : {}),
    logLevel: c.logLevel ?? 'info',
    shutdownGraceTime,
    kube,
    clusters: c.clusters ?? [],
    serveCluster: c.serveCluster,
    ...(env.SLUICE_PROMETHEUS_ADDRESS || c.prometheus
      ? { prometheus: { address: env.SLUICE_PROMETHEUS_ADDRESS || (c.prometheus?.address as string) } }
      : {}),
    ...(c.slackApiUrl ? { slackApiUrl: c.slackApiUrl } : {}),
    ...(env.SLUICE_TEMPORAL_UI_URL || c.temporalUiUrl
      ? { temporalUiUrl: env.SLUICE_TEMPORAL_UI_URL || c.temporalUiUrl }
      : {}),
    ...deploymentConfig(c.deployment, env, where),
    repositories,
    applications: applicationDefaults(c.applications, where),
    rollouts: c.rollouts?.defaultProvider ? { defaultProvider: c.rollouts.defaultProvider } : {},
    trust: trustFromConfig(c, repositories, where),
  };
}

/** The `tuning` block as written, refused with every reason when its knobs contradict each other. */
function workerTuning(t: WorkerTuning | undefined, where: string): WorkerTuning {
  const problems = tuningProblems(t ?? {});
  if (problems.length > 0) throw new WorkerConfigError(`${where}: tuning:\n  ${problems.join('\n  ')}`);
  return t ?? {};
}

/** The `deployment` block; SLUICE_DEPLOYMENT_BUILD_ID (an image tag, say) overrides its buildId. */
function deploymentConfig(
  d: DeploymentConfig | undefined,
  env: NodeJS.ProcessEnv,
  where: string,
): { deployment?: DeploymentConfig } {
  const buildId = env.SLUICE_DEPLOYMENT_BUILD_ID || d?.buildId;
  if (!d) {
    if (env.SLUICE_DEPLOYMENT_BUILD_ID)
      throw new WorkerConfigError(
        `${where}: SLUICE_DEPLOYMENT_BUILD_ID is set but the config has no deployment block: add deployment: {name: sluice}`,
      );
    return {};
  }
  if (buildId !== undefined && !/^[A-Za-z0-9][-A-Za-z0-9_.+]*$/.test(buildId))
    throw new WorkerConfigError(
      `SLUICE_DEPLOYMENT_BUILD_ID=${JSON.stringify(buildId)} is not a build ID (letters, digits, - _ . +)`,
    );
  return { deployment: { name: d.name, ...(buildId ? { buildId } : {}) } };
}

/** A repository URL checked as the activities check it (http(s), no credentials); the error never repeats a password. */
function checkConfigRepoUrl(url: string, key: string, where: string): void {
  try {
    checkRepoUrl(url);
  } catch (err) {
    throw new WorkerConfigError(`${where}: ${key}: ${(err as Error).message}`);
  }
}

/** Bytes from a config size: an integer, or "<n>Ki|Mi|Gi". */
export function parseSize(size: Size): number {
  if (typeof size === 'number') return size;
  const m = /^(\d+)(Ki|Mi|Gi)?$/.exec(size);
  if (!m) throw new WorkerConfigError(`${JSON.stringify(size)} is not a size (bytes, or 16Mi, 512Ki, 1Gi)`);
  const unit = { Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 }[m[2] as 'Ki' | 'Mi' | 'Gi'] ?? 1;
  return Number(m[1]) * unit;
}

/** The administrator's decisions in the file, with defaults; every Project a repository names must exist. */
function trustFromConfig(c: RawConfig, repositories: RepositoryConfig[], where: string): TrustConfig {
  const declared = new Set((c.projects ?? []).map((p) => p.name));
  if (declared.size !== (c.projects ?? []).length)
    throw new WorkerConfigError(`${where}: projects: a Project name is declared twice`);
  // Projects may also come from the admin repository, which is read later: only without one can a
  // binding to an undeclared Project be caught here ("default" always exists).
  if (!c.adminRepository)
    for (const r of repositories)
      for (const p of r.projects)
        if (p !== 'default' && !declared.has(p))
          throw new WorkerConfigError(
            `${where}: repositories[${r.id}].projects names "${p}", which is not in projects (declared: ${[...declared].join(', ') || 'none'})`,
          );
  const a = c.adminRepository;
  if (a) durationMs(a.refreshInterval ?? '1m');
  const g = c.git ?? {};
  return trustConfig({
    projects: c.projects ?? [],
    ...(a
      ? {
          adminRepository: {
            url: a.url,
            revision: a.revision ?? 'main',
            path: a.path ?? '.',
            ...(a.secretRef ? { secretRef: a.secretRef } : {}),
            refreshInterval: a.refreshInterval ?? '1m',
          },
        }
      : {}),
    repositories: repositories.map((r) => ({
      id: r.id,
      url: r.url,
      projects: r.projects,
      ...(r.secretRef ? { secretRef: r.secretRef } : {}),
    })),
    secretAccess: (c.secretAccess ?? []).map((s) => ({ ...s, hosts: s.hosts ?? [] })),
    egress: {
      allow: c.egress?.allow ?? [],
      ...(c.egress?.maxResponseBytes !== undefined
        ? { maxResponseBytes: parseSize(c.egress.maxResponseBytes) }
        : {}),
    } as TrustConfig['egress'],
    git: Object.fromEntries(
      Object.entries(g).map(([k, v]) => [k, typeof v === 'string' ? parseSize(v) : v]),
    ) as Partial<TrustConfig['git']> as TrustConfig['git'],
    kustomizeRemoteBases: c.render?.kustomize?.remoteBases ?? [],
    helmRepositories: helmRepositoriesFromConfig(c, where),
    approvers: approversFromConfig(c, where),
    requireSignedApprovals: c.requireSignedApprovals ?? false,
  });
}

/** The chart repositories, each URL an https:// or oci:// location without credentials in it. */
function helmRepositoriesFromConfig(c: RawConfig, where: string): ChartRepoConfig[] {
  return (c.helmRepositories ?? []).map((r, i) => {
    const url = new URL(r.url.replace(/^oci:\/\//, 'https://'));
    if (url.username || url.password)
      throw new WorkerConfigError(
        `${where}: helmRepositories[${i}].url carries credentials: put them in a secret and name it in secretRef`,
      );
    // Normalised (lower-case host, no default port) so they compare with the realm URLs registries send.
    const tokenRealms = r.tokenRealms?.map((t, j) => {
      const realm = new URL(t);
      if (realm.username || realm.password || realm.search || realm.hash)
        throw new WorkerConfigError(
          `${where}: helmRepositories[${i}].tokenRealms[${j}] must be an https:// URL without credentials, query or fragment`,
        );
      return `${realm.origin}${realm.pathname}`;
    });
    return tokenRealms ? { ...r, tokenRealms } : r;
  });
}

/** The approvers with their public keys read and checked (Ed25519, each name once). */
function approversFromConfig(c: RawConfig, where: string): ApproverConfig[] {
  const seen = new Set<string>();
  return (c.approvers ?? []).map((p): ApproverConfig => {
    if (seen.has(p.name)) throw new WorkerConfigError(`${where}: approvers: "${p.name}" is listed twice`);
    seen.add(p.name);
    let publicKey: string;
    try {
      publicKey = p.publicKey ?? readFileSync(p.publicKeyFile as string, 'utf8');
      approverPublicKey(publicKey);
    } catch (err) {
      throw new WorkerConfigError(
        `${where}: approvers[${p.name}]: ${p.publicKey ? 'publicKey' : `publicKeyFile ${p.publicKeyFile}`} is not an Ed25519 public key in PEM: ${(err as Error).message}`,
      );
    }
    return { name: p.name, publicKey, groups: p.groups ?? [] };
  });
}

/** The configured sources (default: env), then secretsDir's files unless the list names that folder already. */
function secretSources(
  list: SecretSourceConfig[] | undefined,
  secretsDir: string | undefined,
): SecretSourceConfig[] {
  const sources = list ?? [{ type: 'env' }];
  const listed = sources.some((s) => s.type === 'files' && s.dir === secretsDir);
  return secretsDir && !listed ? [...sources, { type: 'files', dir: secretsDir }] : sources;
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new WorkerConfigError(`SLUICE_METRICS_PORT=${JSON.stringify(text)} is not a port (0-65535)`);
  return port;
}

function temporalConfig(t: NonNullable<RawConfig['temporal']>, env: NodeJS.ProcessEnv, where: string) {
  const apiKey = env.SLUICE_TEMPORAL_API_KEY || undefined;
  const envTls = env.SLUICE_TEMPORAL_TLS?.toLowerCase();
  if (envTls !== undefined && envTls !== '' && envTls !== 'true' && envTls !== 'false')
    throw new WorkerConfigError(`SLUICE_TEMPORAL_TLS must be true or false, not ${JSON.stringify(envTls)}`);
  const fromEnv: TemporalTlsConfig = {
    ...(env.SLUICE_TEMPORAL_TLS_CA ? { caFile: env.SLUICE_TEMPORAL_TLS_CA } : {}),
    ...(env.SLUICE_TEMPORAL_TLS_CERT ? { certFile: env.SLUICE_TEMPORAL_TLS_CERT } : {}),
    ...(env.SLUICE_TEMPORAL_TLS_KEY ? { keyFile: env.SLUICE_TEMPORAL_TLS_KEY } : {}),
    ...(env.SLUICE_TEMPORAL_TLS_SERVER_NAME ? { serverName: env.SLUICE_TEMPORAL_TLS_SERVER_NAME } : {}),
  };
  const fileTls = typeof t.tls === 'object' ? t.tls : {};
  // On when asked for (file or env), when any TLS file is named, or with an API key; `false` wins over all.
  const off = envTls === 'false' || (envTls !== 'true' && t.tls === false);
  // An API key is a bearer credential: over plaintext anyone on the path can replay it.
  if (off && (apiKey !== undefined || t.apiKeyFile !== undefined))
    throw new WorkerConfigError(
      `${where}: an API key (${apiKey !== undefined ? 'SLUICE_TEMPORAL_API_KEY' : 'temporal.apiKeyFile'}) is never sent without TLS, and TLS is off (${envTls === 'false' ? 'SLUICE_TEMPORAL_TLS=false' : 'temporal.tls: false'}): turn TLS on (remove the false; an API key turns it on) — Temporal Cloud and any frontend that checks API keys need TLS`,
    );
  const on =
    !off &&
    (envTls === 'true' ||
      t.tls !== undefined ||
      Object.keys(fromEnv).length > 0 ||
      apiKey !== undefined ||
      t.apiKeyFile !== undefined);
  const tls = on ? { ...fileTls, ...fromEnv } : undefined;
  if (tls && Boolean(tls.certFile) !== Boolean(tls.keyFile))
    throw new WorkerConfigError(
      `${where}: temporal.tls needs both certFile and keyFile for mTLS (or neither); got only ${tls.certFile ? 'certFile' : 'keyFile'}`,
    );
  return {
    address: env.SLUICE_TEMPORAL_ADDRESS || t.address || '127.0.0.1:7233',
    namespace: env.SLUICE_TEMPORAL_NAMESPACE || t.namespace || 'default',
    ...(tls ? { tls } : {}),
    ...(apiKey ? { apiKey } : t.apiKeyFile ? { apiKeyFile: t.apiKeyFile } : {}),
  };
}
