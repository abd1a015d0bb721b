// What tests use to publish and fetch Helm charts on the local stack's chart servers: their endpoints, CA and
// credentials (read from the stack's own files), charts packaged with the built helm, uploads to the chart
// repository (ChartMuseum's API) and pushes to the OCI registry. Every helm call runs with a HELM_* home of
// its own, so a test's `helm registry login` or `helm repo add` never leaks into another test.

import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { chartRepoFiles, chartRepoUrl } from '../../scripts/stack/chart-repo.js';
import { loadStackConfig, type StackConfig } from '../../scripts/stack/config.js';
import { stackContext } from '../../scripts/stack/context.js';
import { type Credentials, readCredentials } from '../../scripts/stack/credentials.js';
import { basicAuth } from '../../scripts/stack/https-get.js';
import { registryFiles } from '../../scripts/stack/registry.js';
import { servingTlsFiles } from '../../scripts/stack/serving-tls.js';
import { tokenRegistryFiles } from '../../scripts/stack/token-registry.js';

/** One chart server: where it is, which CA signed it, and what it accepts. */
export interface ChartServer extends Credentials {
  /** `https://host:port` (the chart repository's URL; the registry's API base). */
  url: string;
  /** `host:port`, as `helm registry login` wants it. */
  host: string;
  caFile: string;
}

/** An OCI registry of the stack. */
export type RegistryServer = ChartServer & {
  /** `oci://host:port`; append `/<path>` for a repository. */ ociUrl: string;
};

/** The local stack's OCI registries and chart repository. */
export interface ChartServers {
  /** Basic auth (htpasswd). */
  registry: RegistryServer;
  /** Token auth: the credentials go to `realm` (another port), which issues the registry's bearer tokens; `public/…` pulls need none. */
  tokenRegistry: RegistryServer & { realm: string };
  repo: ChartServer;
}

/** Reads the chart servers' endpoints and credentials from the stack's data dir (the stack must be up). */
export function chartServers(config: StackConfig = loadStackConfig()): ChartServers {
  const ctx = stackContext(config, () => {});
  const caFile = servingTlsFiles(ctx.paths.pki).caCert;
  const registryHost = `${config.host}:${config.ports.registry}`;
  const repoUrl = chartRepoUrl(ctx);
  const tokenHost = `${config.host}:${config.ports.tokenRegistry}`;
  return {
    // Read when used, so tests of the other servers run on a stack that predates the token registry.
    get tokenRegistry() {
      return {
        ...readCredentials(tokenRegistryFiles(ctx).credentials),
        url: `https://${tokenHost}`,
        ociUrl: `oci://${tokenHost}`,
        host: tokenHost,
        realm: `https://${config.host}:${config.ports.tokenServer}/token`,
        caFile,
      };
    },
    registry: {
      ...readCredentials(registryFiles(ctx).credentials),
      url: `https://${registryHost}`,
      ociUrl: `oci://${registryHost}`,
      host: registryHost,
      caFile,
    },
    repo: {
      ...readCredentials(chartRepoFiles(ctx).credentials),
      url: repoUrl,
      host: new URL(repoUrl).host,
      caFile,
    },
  };
}

/** A chart name no other test (or earlier run on the shared stack) has used. */
export function uniqueChartName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** A private helm home (config, cache, data, registry logins) and a runner bound to it. */
export interface HelmHome {
  dir: string;
  env: NodeJS.ProcessEnv;
  /** Runs the built helm with this home; throws with helm's stderr on failure. */
  helm: (args: string[], input?: string) => string;
}

/** Creates a fresh helm home in a temporary directory. */
export function helmHome(config: StackConfig = loadStackConfig()): HelmHome {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-helm-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    HELM_CONFIG_HOME: join(dir, 'config'),
    HELM_CACHE_HOME: join(dir, 'cache'),
    HELM_DATA_HOME: join(dir, 'data'),
    HELM_REGISTRY_CONFIG: join(dir, 'registry', 'config.json'),
    HELM_REPOSITORY_CONFIG: join(dir, 'config', 'repositories.yaml'),
    HELM_REPOSITORY_CACHE: join(dir, 'cache', 'repository'),
  };
  const bin = join(config.toolsBin, 'helm');
  const helm = (args: string[], input?: string): string => {
    try {
      return execFileSync(bin, args, { env, input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`helm ${args[0]} ${args[1] ?? ''} failed: ${e.stderr?.trim() || e.message}`);
    }
  };
  return { dir, env, helm };
}

/** Chart.yaml fields packageChart sets; anything else a test needs goes in `extra`. */
export interface ChartMeta {
  name: string;
  version: string;
  appVersion?: string;
  kubeVersion?: string;
  dependencies?: { name: string; version: string; repository: string; alias?: string; condition?: string }[];
  extra?: Record<string, unknown>;
}

/** A one-ConfigMap template that shows which chart version rendered it, for charts given no templates. */
const defaultTemplate = `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-{{ .Chart.Name }}
data:
  chartVersion: {{ .Chart.Version | quote }}
  message: {{ .Values.message | default "hello" | quote }}
`;

/**
 * Packages a chart with the built helm and returns the .tgz path. `source` is a chart folder (copied, so
 * the fixture is untouched) or a map of relative path → content; Chart.yaml is (re)written from `meta`,
 * so one fixture can be published at several versions.
 */
export function packageChart(
  source: string | Record<string, string>,
  meta: ChartMeta,
  home = helmHome(),
): string {
  const work = mkdtempSync(join(tmpdir(), 'sluice-chart-'));
  const dir = join(work, meta.name);
  if (typeof source === 'string') cpSync(source, dir, { recursive: true });
  else {
    mkdirSync(dir, { recursive: true });
    for (const [rel, content] of Object.entries(source)) {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), content);
    }
  }
  if (!existsSync(join(dir, 'templates'))) {
    mkdirSync(join(dir, 'templates'));
    writeFileSync(join(dir, 'templates', 'configmap.yaml'), defaultTemplate);
  }
  const chartFile = join(dir, 'Chart.yaml');
  const existing = existsSync(chartFile)
    ? (parse(readFileSync(chartFile, 'utf8')) as Record<string, unknown>)
    : {};
  const { extra, ...fields } = meta;
  writeFileSync(
    chartFile,
    stringify({ apiVersion: 'v2', type: 'application', ...existing, ...extra, ...fields }),
  );
  const out = join(work, 'out');
  home.helm(['package', dir, '--destination', out]);
  return join(out, `${meta.name}-${meta.version}.tgz`);
}

/** An HTTPS request to a chart server trusting only its CA; resolves with status and body. */
export function chartServerRequest(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: Buffer; caFile?: string } = {},
): Promise<{ status: number; body: string }> {
  const ca = readFileSync(opts.caFile ?? chartServers().repo.caFile);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers, ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Uploads a chart archive to the stack's chart repository (`POST /api/charts`); `force` replaces a version. */
export async function pushToRepo(tgz: string, opts: { force?: boolean } = {}): Promise<void> {
  const { repo } = chartServers();
  const res = await chartServerRequest(`${repo.url}/api/charts${opts.force ? '?force=true' : ''}`, {
    method: 'POST',
    headers: { authorization: basicAuth(repo.username, repo.password), 'content-type': 'application/gzip' },
    body: readFileSync(tgz),
    caFile: repo.caFile,
  });
  if (res.status !== 201) throw new Error(`upload of ${tgz} answered ${res.status}: ${res.body}`);
}

/** Logs a helm home in to one of the stack's registries (password on stdin, CA by file). */
export function registryLogin(home: HelmHome, registry: RegistryServer = chartServers().registry): void {
  home.helm(
    [
      'registry',
      'login',
      registry.host,
      '--username',
      registry.username,
      '--password-stdin',
      '--ca-file',
      registry.caFile,
    ],
    registry.password,
  );
}

/** Pushes a chart archive to `oci://host:port/<path>` on one of the stack's registries (helm does the token flow); returns the reference and digest. */
export function pushToRegistry(
  tgz: string,
  ociRepo: string,
  home = helmHome(),
): { ref: string; digest: string } {
  const servers = chartServers();
  const config = loadStackConfig();
  const tokenOci = `oci://${config.host}:${config.ports.tokenRegistry}`;
  const registry = ociRepo.startsWith(`${servers.registry.ociUrl}/`)
    ? servers.registry
    : ociRepo.startsWith(`${tokenOci}/`)
      ? servers.tokenRegistry
      : undefined;
  if (!registry)
    throw new Error(
      `${ociRepo} is not on the stack's registries (${servers.registry.ociUrl}/…, ${tokenOci}/…)`,
    );
  registryLogin(home, registry);
  // helm 3 prints "Pushed: <ref>" and "Digest: <sha>" on stderr.
  const push = spawnSync(
    join(loadStackConfig().toolsBin, 'helm'),
    ['push', tgz, ociRepo, '--ca-file', registry.caFile],
    {
      env: home.env,
      encoding: 'utf8',
    },
  );
  const out = `${push.stdout}${push.stderr}`;
  if (push.status !== 0) throw new Error(`helm push ${tgz} ${ociRepo} failed: ${out.trim()}`);
  const ref = /Pushed: (\S+)/.exec(out)?.[1];
  const digest = /Digest: (sha256:[0-9a-f]{64})/.exec(out)?.[1];
  if (!ref || !digest) throw new Error(`helm push printed no reference and digest: ${out}`);
  return { ref, digest };
}
