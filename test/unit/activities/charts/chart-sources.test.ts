// ChartSources against a real chart repository: charts packaged and indexed by the built helm, served over
// HTTP with basic auth by a server this test starts (the stack's HTTPS repository is used by the integration tests).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChartSources, fetchDependency } from '../../../../activities/charts/chart-sources.js';
import { ChartAuthError, ChartNotFoundError } from '../../../../activities/charts/errors.js';
import { createEgressFetch } from '../../../../activities/egress/guarded-fetch.js';
import { SecretStore } from '../../../../activities/secrets/secret-store.js';
import { findTool } from '../../../../plugins/renderers/tool-path.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-chart-repo-'));
const served = join(dir, 'repo');
let server: Server;
let url = '';
const requests: { path: string; auth?: string }[] = [];
const caller = { repoId: 'r', project: 'default' };

function packageChart(version: string): void {
  const src = join(dir, 'src', version, 'web');
  mkdirSync(join(src, 'templates'), { recursive: true });
  writeFileSync(join(src, 'Chart.yaml'), `apiVersion: v2\nname: web\nversion: ${version}\n`);
  writeFileSync(
    join(src, 'templates', 'cm.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n',
  );
  execFileSync(findTool('helm'), ['package', src, '--destination', served], {
    env: { ...process.env, HOME: dir },
  });
}

beforeAll(async () => {
  mkdirSync(served, { recursive: true });
  for (const v of ['1.0.0', '1.1.0', '2.0.0-rc.1']) packageChart(v);
  execFileSync(findTool('helm'), ['repo', 'index', served], { env: { ...process.env, HOME: dir } });
  server = createServer((req, res) => {
    requests.push({
      path: req.url ?? '',
      ...(req.headers.authorization ? { auth: req.headers.authorization } : {}),
    });
    if (req.headers.authorization !== `Basic ${Buffer.from('ci:s3cret').toString('base64')}`) {
      res.writeHead(401).end();
      return;
    }
    const file = join(served, (req.url ?? '/').slice(1));
    if (!existsSync(file)) res.writeHead(404).end();
    else res.writeHead(200).end(readFileSync(file));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

const secrets = (password: string) =>
  new SecretStore([
    {
      description: 'test',
      lookup: async (name) => (name === 'charts' ? { username: 'ci', password } : undefined),
    },
  ]);

const sources = (password = 's3cret', cacheDir = mkdtempSync(join(dir, 'cache-'))) =>
  new ChartSources({
    cacheDir,
    repos: [{ url, secretRef: { name: 'charts' } }],
    secrets: secrets(password),
    egress: createEgressFetch({ allow: [], maxResponseBytes: 1024 * 1024 }),
  });

describe('ChartSources (HTTP chart repository)', () => {
  it('resolves a constraint to the highest matching version, prereleases only when asked', async () => {
    const charts = sources();
    expect(await charts.resolve({ repoURL: url, chart: 'web' }, '^1.0', caller)).toBe('1.1.0');
    expect(await charts.resolve({ repoURL: url, chart: 'web' }, '*', caller)).toBe('1.1.0');
    expect(await charts.resolve({ repoURL: url, chart: 'web' }, '>=2.0.0-rc.0', caller)).toBe('2.0.0-rc.1');
  });

  it('fetches a version once: the second fetch is served from the digest-keyed cache with no request', async () => {
    const charts = sources();
    const first = await charts.fetch({ repoURL: url, chart: 'web' }, '1.0.0', caller);
    expect(readFileSync(join(first, 'web', 'Chart.yaml'), 'utf8')).toMatch(/version: 1\.0\.0/);
    const before = requests.length;
    expect(await charts.fetch({ repoURL: url, chart: 'web' }, '1.0.0', caller)).toBe(first);
    expect(requests.length).toBe(before);
  });

  it('names the repository and what to do for wrong credentials and unknown versions', async () => {
    await expect(sources('wrong').resolve({ repoURL: url, chart: 'web' }, '*', caller)).rejects.toThrow(
      ChartAuthError,
    );
    await expect(sources().resolve({ repoURL: url, chart: 'web' }, '^3', caller)).rejects.toThrow(
      /no version of chart "web" matches "\^3".*change targetRevision/,
    );
    await expect(sources().resolve({ repoURL: url, chart: 'api' }, '*', caller)).rejects.toThrow(
      ChartNotFoundError,
    );
  });

  it('sends no credentials to, and applies the egress policy for, a repository the administrator did not list (attack)', async () => {
    const charts = new ChartSources({
      cacheDir: mkdtempSync(join(dir, 'cache-')),
      repos: [{ url: `${url}/other`, secretRef: { name: 'charts' } }],
      secrets: secrets('s3cret'),
      egress: createEgressFetch({ allow: [], maxResponseBytes: 1024 * 1024 }),
    });
    const before = requests.length;
    await expect(charts.resolve({ repoURL: url, chart: 'web' }, '*', caller)).rejects.toThrow(
      /not allowed|refused/i,
    );
    expect(requests.length).toBe(before);
  });
});

describe('fetchDependency', () => {
  it('resolves a constraint, fetches through the configured repository, and needs no network for an exact cached version', async () => {
    const charts = sources();
    const dir = await fetchDependency(
      charts,
      { repository: `${url}/`, name: 'web', version: '~1.0' },
      caller,
    );
    expect(readFileSync(join(dir, 'web', 'Chart.yaml'), 'utf8')).toContain('version: 1.0.0');
    const before = requests.length;
    expect(await fetchDependency(charts, { repository: url, name: 'web', version: '1.0.0' }, caller)).toBe(
      dir,
    );
    expect(requests.length).toBe(before);
  });

  it('refuses repository URLs with credentials and other schemes before any request', async () => {
    const charts = sources();
    const before = requests.length;
    const withCreds = url.replace('http://', 'http://user:pw@');
    await expect(
      fetchDependency(charts, { repository: withCreds, name: 'web', version: '1.0.0' }, caller),
    ).rejects.toThrow(
      'the repository URL carries credentials: the administrator configures them in helmRepositories',
    );
    await expect(
      fetchDependency(charts, { repository: 'file:///etc', name: 'web', version: '1.0.0' }, caller),
    ).rejects.toThrow('repository file:///etc is not https://, http:// or oci://');
    expect(requests.length).toBe(before);
  });
});
