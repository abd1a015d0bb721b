// Docker's token authentication against real HTTPS servers this test starts: a registry that answers 401 with
// a Bearer challenge and a token service (the realm) that counts what it receives. The point under attack:
// credentials configured for a registry reach a realm on another host only when the administrator listed it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChartRepoConfig } from '../../../../activities/charts/chart-repos.js';
import { ChartSources } from '../../../../activities/charts/chart-sources.js';
import { ChartAuthError } from '../../../../activities/charts/errors.js';
import { parseBearerChallenge, RegistryTokens } from '../../../../activities/charts/registry-tokens.js';
import type { EgressFetch } from '../../../../activities/egress/guarded-fetch.js';
import { SecretStore } from '../../../../activities/secrets/secret-store.js';
import { ensureServingTls } from '../../../../scripts/stack/serving-tls.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-oci-token-'));
const tls = ensureServingTls(join(dir, 'pki'));
const caller = { repoId: 'r', project: 'default' };
const basic = `Basic ${Buffer.from('ci:s3cret').toString('base64')}`;

/** What the token services and the registry saw. */
const seen = {
  realm: [] as { host: string; auth?: string; scope?: string; service?: string }[],
  registry: [] as { path: string; auth?: string }[],
};
/** Where the registry sends clients for tokens (set per test). */
let realmUrl = '';
let registry: Server;
let otherHost: Server;
let registryBase = '';
let otherBase = '';

/** A token service: "cred" for the right basic credentials, 401 for wrong ones, "anon" without any. */
function token(req: IncomingMessage, res: import('node:http').ServerResponse, host: string): void {
  const u = new URL(req.url ?? '/', 'https://x');
  const auth = req.headers.authorization;
  seen.realm.push({
    host,
    ...(auth ? { auth } : {}),
    scope: u.searchParams.get('scope') ?? '',
    service: u.searchParams.get('service') ?? '',
  });
  if (auth && auth !== basic) return void res.writeHead(401).end();
  res
    .writeHead(200, { 'content-type': 'application/json' })
    .end(JSON.stringify(auth ? { access_token: 'cred', expires_in: 300 } : { token: 'anon' }));
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  const opts = { cert: readFileSync(tls.cert), key: readFileSync(tls.key) };
  registry = createServer(opts, (req, res) => {
    const path = req.url ?? '/';
    if (path.startsWith('/token')) return token(req, res, 'registry');
    const auth = req.headers.authorization;
    seen.registry.push({ path, ...(auth ? { auth } : {}) });
    const m = /^\/v2\/(.+)\/tags\/list/.exec(path);
    const allowed = auth === 'Bearer cred' || (auth === 'Bearer anon' && m?.[1]?.startsWith('public/'));
    if (!allowed) {
      const scope = `repository:${m?.[1]}:pull`;
      return void res
        .writeHead(401, {
          'www-authenticate': `Bearer realm="${realmUrl}",service="test-registry",scope="${scope}"`,
        })
        .end();
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ tags: ['1.0.0'] }));
  });
  otherHost = createServer(opts, (req, res) => token(req, res, 'other'));
  registryBase = await listen(registry);
  otherBase = await listen(otherHost);
});
afterAll(() => {
  registry.close();
  otherHost.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  seen.realm.length = 0;
  seen.registry.length = 0;
});

/** The egress fetch of these tests: trusts the test CA (the real policy is tested elsewhere) and counts calls. */
const egressCalls: string[] = [];
const agent = new Agent({ connect: { ca: readFileSync(tls.caCert, 'utf8') } });
const egress: EgressFetch = async (url, init = {}) => {
  egressCalls.push(String(url));
  return (await undiciFetch(String(url), {
    ...(init as object),
    redirect: 'manual',
    dispatcher: agent,
  })) as unknown as Response;
};

const secrets = (password: string) =>
  new SecretStore([
    { description: 'test', lookup: async (n) => (n === 'reg' ? { username: 'ci', password } : undefined) },
  ]);

const sources = (entry: Partial<ChartRepoConfig> | undefined, password = 's3cret') =>
  new ChartSources({
    cacheDir: mkdtempSync(join(dir, 'cache-')),
    repos: entry
      ? [
          {
            url: `oci://${new URL(registryBase).host}`,
            secretRef: { name: 'reg' },
            caFile: tls.caCert,
            ...entry,
          },
        ]
      : [],
    secrets: secrets(password),
    egress,
  });

const oci = (path: string) => `oci://${new URL(registryBase).host}/${path}`;

describe('OCI token authentication', () => {
  it('never sends the credentials to a realm on a host the administrator did not list (attack)', async () => {
    realmUrl = `${otherBase}/token`;
    egressCalls.length = 0;
    const charts = sources({});
    const err = await charts.resolve({ repoURL: oci('private'), chart: 'web' }, '*', caller).catch((e) => e);
    expect(err).toBeInstanceOf(ChartAuthError);
    expect(err.message).toMatch(
      /not sent to the token service https:\/\/127\.0\.0\.1:\d+\/token.*tokenRealms/,
    );
    expect(seen.realm).toEqual([
      { host: 'other', scope: 'repository:private/web:pull', service: 'test-registry' },
    ]);
    // The realm was reached through the egress fetch, not the registry's trusted one.
    expect(egressCalls.filter((u) => u.startsWith(otherBase))).toHaveLength(1);
    // Anonymous pulls of public repositories still work through that realm.
    expect(await charts.resolve({ repoURL: oci('public'), chart: 'web' }, '*', caller)).toBe('1.0.0');
    expect(seen.realm.every((r) => r.auth === undefined)).toBe(true);
  });

  it('sends them to a realm listed in tokenRealms, and reuses the token until it expires', async () => {
    realmUrl = `${otherBase}/token`;
    egressCalls.length = 0;
    const charts = sources({ tokenRealms: [`${otherBase}/token`] });
    expect(await charts.resolve({ repoURL: oci('private'), chart: 'web' }, '*', caller)).toBe('1.0.0');
    expect(await charts.resolve({ repoURL: oci('private'), chart: 'web' }, '*', caller)).toBe('1.0.0');
    expect(seen.realm).toEqual([
      { host: 'other', auth: basic, scope: 'repository:private/web:pull', service: 'test-registry' },
    ]);
    expect(egressCalls).toEqual([]);
    // The second read sent the cached token at once: one 401 in all, for the first read.
    expect(seen.registry.map((r) => r.auth ?? 'none')).toEqual([basic, 'Bearer cred', 'Bearer cred']);
  });

  it("sends them to a realm on the registry's own host; wrong ones fail naming the token service", async () => {
    realmUrl = `${registryBase}/token`;
    expect(await sources({}).resolve({ repoURL: oci('private'), chart: 'web' }, '*', caller)).toBe('1.0.0');
    expect(seen.realm).toEqual([
      { host: 'registry', auth: basic, scope: 'repository:private/web:pull', service: 'test-registry' },
    ]);
    const err = await sources({}, 'wrong')
      .resolve({ repoURL: oci('private'), chart: 'web' }, '*', caller)
      .catch((e) => e);
    expect(err).toBeInstanceOf(ChartAuthError);
    expect(err.message).toMatch(
      /token service https:\/\/127\.0\.0\.1:\d+\/token refused the configured credentials.*helmRepositories/,
    );
  });

  it('pulls anonymously from a registry nobody configured, through the egress fetch', async () => {
    realmUrl = `${registryBase}/token`;
    egressCalls.length = 0;
    expect(
      await sources(undefined).resolve({ repoURL: oci('public/charts'), chart: 'web' }, '*', caller),
    ).toBe('1.0.0');
    expect(seen.realm).toEqual([
      { host: 'registry', scope: 'repository:public/charts/web:pull', service: 'test-registry' },
    ]);
    expect(egressCalls.length).toBe(3);
  });

  it('refuses a realm that is not https, before asking it anything', async () => {
    realmUrl = `http://${new URL(otherBase).host}/token`;
    const err = await sources({ tokenRealms: [`${otherBase}/token`] })
      .resolve({ repoURL: oci('private'), chart: 'web' }, '*', caller)
      .catch((e) => e);
    expect(err).toBeInstanceOf(ChartAuthError);
    expect(err.message).toMatch(
      /token realm http:\/\/127\.0\.0\.1:\d+\/token, which is not an https:\/\/ URL/,
    );
    expect(seen.realm).toEqual([]);
  });
});

describe('RegistryTokens and Bearer challenges', () => {
  it('keeps a token until expires_in (less a margin), per identity', () => {
    let now = 0;
    const tokens = new RegistryTokens(() => now);
    const anon = RegistryTokens.key('r', 'realm', 'repository:a:pull', undefined);
    const cred = RegistryTokens.key('r', 'realm', 'repository:a:pull', basic);
    expect(anon).not.toBe(cred);
    expect(cred).not.toContain('s3cret');
    tokens.set(anon, 't', 60);
    expect(tokens.get(anon)).toBe('t');
    expect(tokens.get(cred)).toBeUndefined();
    now = 54_000;
    expect(tokens.get(anon)).toBe('t');
    now = 55_000;
    expect(tokens.get(anon)).toBeUndefined();
  });

  it('parses Docker Hub, ghcr.io and quoted challenges; Basic is no Bearer challenge', () => {
    expect(
      parseBearerChallenge(
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:bitnamicharts/nginx:pull"',
      ),
    ).toEqual({
      realm: 'https://auth.docker.io/token',
      service: 'registry.docker.io',
      scope: 'repository:bitnamicharts/nginx:pull',
    });
    expect(parseBearerChallenge('bearer realm="https://ghcr.io/token",service="ghcr.io"')).toEqual({
      realm: 'https://ghcr.io/token',
      service: 'ghcr.io',
    });
    expect(parseBearerChallenge('Bearer realm="https://h/t?a=\\"b\\""')?.realm).toBe('https://h/t?a="b"');
    expect(parseBearerChallenge('Basic realm="x"')).toBeUndefined();
    expect(parseBearerChallenge(null)).toBeUndefined();
  });
});
