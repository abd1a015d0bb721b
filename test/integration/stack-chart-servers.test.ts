import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { basicAuth } from '../../scripts/stack/https-get.js';
import {
  chartServerRequest,
  chartServers,
  helmHome,
  packageChart,
  pushToRegistry,
  pushToRepo,
  registryLogin,
  uniqueChartName,
} from '../helpers/charts.js';

const servers = chartServers();

/** Fails unless the request to url fails at the TLS or HTTP layer (the default CA store does not know ours). */
function connectError(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { timeout: 3000 }, (res) => reject(new Error(`answered ${res.statusCode}`))).on('error', (err) =>
      resolve((err as NodeJS.ErrnoException).code ?? err.message),
    );
  });
}

describe('the chart repository', () => {
  const name = uniqueChartName('repo-chart');

  it('takes uploads, indexes them with helm, and serves them to helm with basic auth and the CA', async () => {
    await pushToRepo(packageChart({}, { name, version: '0.1.0' }));
    await pushToRepo(packageChart({}, { name, version: '0.2.0', appVersion: '2.0' }));
    const home = helmHome();
    const { repo } = servers;
    home.helm(
      [
        'repo',
        'add',
        'stack',
        repo.url,
        '--username',
        repo.username,
        '--password-stdin',
        '--ca-file',
        repo.caFile,
      ],
      repo.password,
    );
    expect(home.helm(['search', 'repo', `stack/${name}`, '--versions'])).toMatch(
      /0\.2\.0\s+2\.0[\s\S]*0\.1\.0/,
    );
    home.helm(['pull', `stack/${name}`, '--version', '0.1.0', '-d', home.dir]);
    expect(home.helm(['show', 'chart', join(home.dir, `${name}-0.1.0.tgz`)])).toContain('version: 0.1.0');
    const rendered = home.helm(['template', 'r', join(home.dir, `${name}-0.1.0.tgz`)]);
    expect(rendered).toContain('chartVersion: "0.1.0"');
  });

  it('refuses a request without credentials, with a wrong password, and takes the bearer token', async () => {
    const { repo } = servers;
    expect((await chartServerRequest(`${repo.url}/index.yaml`)).status).toBe(401);
    expect((await chartServerRequest(`${repo.url}/${name}-0.1.0.tgz`)).status).toBe(401);
    const wrong = { authorization: basicAuth(repo.username, `${repo.password}x`) };
    expect((await chartServerRequest(`${repo.url}/index.yaml`, { headers: wrong })).status).toBe(401);
    const upload = await chartServerRequest(`${repo.url}/api/charts`, {
      method: 'POST',
      body: Buffer.from('x'),
    });
    expect(upload.status).toBe(401);
    const token = { authorization: `Bearer ${repo.token}` };
    const index = await chartServerRequest(`${repo.url}/index.yaml`, { headers: token });
    expect(index.status).toBe(200);
    const entries = (parse(index.body) as { entries: Record<string, { version: string; digest: string }[]> })
      .entries[name];
    expect(entries?.map((e) => e.version).sort()).toEqual(['0.1.0', '0.2.0']);
    expect(entries?.every((e) => /^[0-9a-f]{64}$/.test(e.digest))).toBe(true);
  });

  it('keeps a published version unless forced, and deletes one from the index', async () => {
    const tgz = packageChart({}, { name, version: '0.1.0', extra: { description: 'again' } });
    await expect(pushToRepo(tgz)).rejects.toThrow(/answered 409/);
    await pushToRepo(tgz, { force: true });
    const { repo } = servers;
    const auth = { authorization: basicAuth(repo.username, repo.password) };
    const del = await chartServerRequest(`${repo.url}/api/charts/${name}/0.2.0`, {
      method: 'DELETE',
      headers: auth,
    });
    expect(del.status).toBe(200);
    const index = parse((await chartServerRequest(`${repo.url}/index.yaml`, { headers: auth })).body) as {
      entries: Record<string, { version: string; description?: string }[]>;
    };
    expect(index.entries[name]).toEqual([
      expect.objectContaining({ version: '0.1.0', description: 'again' }),
    ]);
  });

  it('refuses an upload that is not a chart, or whose Chart.yaml names a path', async () => {
    const { repo } = servers;
    const auth = { authorization: basicAuth(repo.username, repo.password) };
    const junk = await chartServerRequest(`${repo.url}/api/charts`, {
      method: 'POST',
      headers: auth,
      body: Buffer.from('not a tarball'),
    });
    expect(junk.status).toBe(400);
    // Attack: a hand-made archive whose Chart.yaml name would put the file outside the charts folder.
    const work = mkdtempSync(join(tmpdir(), 'sluice-evil-chart-'));
    mkdirSync(join(work, 'evil', 'templates'), { recursive: true });
    writeFileSync(
      join(work, 'evil', 'Chart.yaml'),
      'apiVersion: v2\nname: ../../../escaped\nversion: 0.1.0\n',
    );
    execFileSync('tar', ['-czf', join(work, 'evil.tgz'), '-C', work, 'evil']);
    const evil = await chartServerRequest(`${repo.url}/api/charts`, {
      method: 'POST',
      headers: auth,
      body: readFileSync(join(work, 'evil.tgz')),
    });
    expect(evil.status).toBe(400);
    const index = await chartServerRequest(`${repo.url}/index.yaml`, { headers: auth });
    expect(index.body).not.toContain('escaped');
    expect(
      (await chartServerRequest(`${repo.url}/..%2F..%2Fregistry%2Fcredentials.json`, { headers: auth }))
        .status,
    ).toBe(404);
  });

  it('does not answer plain HTTP, and a client without the stack CA refuses its certificate', async () => {
    const plain = servers.repo.url.replace('https://', 'http://');
    await expect(fetch(`${plain}/index.yaml`, { signal: AbortSignal.timeout(3000) })).rejects.toThrow();
    expect(await connectError(`${servers.repo.url}/index.yaml`)).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|CERT/);
    const home = helmHome();
    const { repo } = servers;
    expect(() =>
      home.helm(
        ['repo', 'add', 'nocafile', repo.url, '--username', repo.username, '--password-stdin'],
        repo.password,
      ),
    ).toThrow(/x509|certificate/);
  });
});

describe('the OCI registry', () => {
  const name = uniqueChartName('oci-chart');
  const ociRepo = `${servers.registry.ociUrl}/charts`;

  it('takes a helm push and serves helm pull with login and the CA', () => {
    const pushed = pushToRegistry(packageChart({}, { name, version: '1.0.0' }), ociRepo);
    expect(pushed.ref).toBe(`${servers.registry.host}/charts/${name}:1.0.0`);
    const home = helmHome();
    registryLogin(home);
    home.helm([
      'pull',
      `${ociRepo}/${name}`,
      '--version',
      '1.0.0',
      '--ca-file',
      servers.registry.caFile,
      '-d',
      home.dir,
    ]);
    expect(home.helm(['show', 'chart', join(home.dir, `${name}-1.0.0.tgz`)])).toContain(`name: ${name}`);
  });

  it('refuses a pull without login and a request without credentials (401)', async () => {
    const home = helmHome();
    expect(() =>
      home.helm([
        'pull',
        `${ociRepo}/${name}`,
        '--version',
        '1.0.0',
        '--ca-file',
        servers.registry.caFile,
        '-d',
        home.dir,
      ]),
    ).toThrow(/401|unauthorized|credential not found/i);
    const { registry } = servers;
    const anonymous = await chartServerRequest(`${registry.url}/v2/`, { caFile: registry.caFile });
    expect(anonymous.status).toBe(401);
    const tags = await chartServerRequest(`${registry.url}/v2/charts/${name}/tags/list`, {
      caFile: registry.caFile,
      headers: { authorization: basicAuth(registry.username, registry.password) },
    });
    expect(JSON.parse(tags.body)).toEqual({ name: `charts/${name}`, tags: ['1.0.0'] });
  });

  it('does not answer plain HTTP, and a client without the stack CA refuses its certificate', async () => {
    const { registry } = servers;
    const plain = await fetch(`http://${registry.host}/v2/`, { signal: AbortSignal.timeout(3000) }).then(
      (r) => r.status,
      () => 'refused',
    );
    // Go's TLS server answers a plain-HTTP request with 400 "Client sent an HTTP request to an HTTPS server".
    expect(plain === 'refused' || plain === 400).toBe(true);
    expect(await connectError(`${registry.url}/v2/`)).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|CERT/);
    const home = helmHome();
    expect(() =>
      home.helm(
        ['registry', 'login', registry.host, '--username', registry.username, '--password-stdin'],
        registry.password,
      ),
    ).toThrow(/x509|certificate/);
  });
});
