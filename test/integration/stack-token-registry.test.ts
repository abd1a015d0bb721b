// The stack's token-auth registry and its token server, as a client of Docker's token authentication sees them.
import { describe, expect, it } from 'vitest';
import { basicAuth } from '../../scripts/stack/https-get.js';
import {
  chartServerRequest,
  chartServers,
  packageChart,
  pushToRegistry,
  uniqueChartName,
} from '../helpers/charts.js';

const registry = chartServers().tokenRegistry;
const get = (url: string, authorization?: string) =>
  chartServerRequest(url, { caFile: registry.caFile, headers: authorization ? { authorization } : {} });
const tokenFor = async (scope: string, authorization?: string) => {
  const res = await get(`${registry.realm}?service=sluice-dev-token-registry&scope=${scope}`, authorization);
  return {
    status: res.status,
    token: res.status === 200 ? (JSON.parse(res.body) as { token: string }).token : '',
  };
};
const claims = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'));

describe('the token-auth registry', () => {
  const chart = uniqueChartName('tokstack');
  const creds = basicAuth(registry.username, registry.password);

  it('challenges with its realm, issues scoped JWTs, and grants anonymous pull under public/ only', async () => {
    pushToRegistry(packageChart({}, { name: chart, version: '0.1.0' }), `${registry.ociUrl}/private`);
    pushToRegistry(packageChart({}, { name: chart, version: '0.1.0' }), `${registry.ociUrl}/public/x`);
    const tags = (path: string) => `${registry.url}/v2/${path}/${chart}/tags/list`;
    const challenge = await get(tags('private'));
    expect(challenge.status).toBe(401);

    const withCreds = await tokenFor(`repository:private/${chart}:pull,push`, creds);
    expect(claims(withCreds.token)).toMatchObject({
      iss: 'sluice-dev-token-server',
      aud: 'sluice-dev-token-registry',
      sub: registry.username,
      access: [{ type: 'repository', name: `private/${chart}`, actions: ['pull', 'push'] }],
    });
    expect((await get(tags('private'), `Bearer ${withCreds.token}`)).status).toBe(200);

    const anonPrivate = await tokenFor(`repository:private/${chart}:pull`);
    expect(claims(anonPrivate.token).access).toEqual([
      { type: 'repository', name: `private/${chart}`, actions: [] },
    ]);
    expect((await get(tags('private'), `Bearer ${anonPrivate.token}`)).status).toBe(401);
    const anonPublic = await tokenFor(`repository:public/x/${chart}:pull,push`);
    expect(claims(anonPublic.token).access[0].actions).toEqual(['pull']);
    expect((await get(tags('public/x'), `Bearer ${anonPublic.token}`)).status).toBe(200);

    expect(
      (await tokenFor(`repository:private/${chart}:pull`, basicAuth(registry.username, 'wrong'))).status,
    ).toBe(401);
  });
});
