// Attack tests of the paths an ImageRepository's values take: the image host (a URL the worker calls) and
// its secretRef (credentials that may go only to that host).
import { describe, expect, it } from 'vitest';
import { RegistryTokens } from '../../../../activities/charts/registry-tokens.js';
import type { EgressFetch } from '../../../../activities/egress/guarded-fetch.js';
import { imageClient, imageLocation } from '../../../../activities/images/image-client.js';
import { nextPage } from '../../../../activities/images/registry-tags.js';
import { SecretStore } from '../../../../activities/secrets/secret-store.js';
import { ProjectRegistry } from '../../../../activities/trust/projects.js';
import { SecretAccess } from '../../../../activities/trust/secret-access.js';

const egress: EgressFetch = async () => {
  throw new Error('the egress fetch (not called in these tests)');
};
const secrets = new SecretStore([
  {
    description: 'test secrets',
    lookup: async (name) =>
      name === 'pull' || name === 'admin' ? { username: name, password: `${name}-pw` } : undefined,
  },
]);
const projects = new ProjectRegistry({ projects: [], repositories: [] });
const caller = { repoId: 'r', project: 'default' };
const deps = (
  hosts: string[],
  repos = [] as { url: string; secretRef?: { name: string }; projects?: string[] }[],
) => ({
  repos,
  secrets,
  secretAccess: new SecretAccess(secrets, [{ name: 'pull', projects: ['*'], hosts }], projects),
  egress,
  tokens: new RegistryTokens(),
});
const basic = (user: string) => `Basic ${Buffer.from(`${user}:${user}-pw`).toString('base64')}`;

describe('imageLocation', () => {
  it('splits host[:port]/repository and refuses anything that is not one', () => {
    expect(imageLocation('reg.example:5000/team/web')).toEqual({
      base: 'https://reg.example:5000',
      host: 'reg.example:5000',
      repository: 'team/web',
    });
    for (const bad of ['web', '/team/web', 'user@reg.example/web', 'reg.example?x=1/web', 'reg example/web'])
      expect(() => imageLocation(bad), bad).toThrow(/is not host\[:port\]\/repository/);
  });
});

describe('imageClient credentials', () => {
  it('sends a secretRef only to the image registry host, never to a token service on another host, and fetches through egress', async () => {
    const { client } = await imageClient(deps(['reg.example:5000']), 'reg.example:5000/team/web', caller, {
      name: 'pull',
    });
    expect(client.fetch).toBe(egress);
    expect(client.authFor('https://reg.example:5000/v2/team/web/tags/list')).toBe(basic('pull'));
    expect(client.authFor('https://evil.example/v2/team/web/tags/list')).toBeUndefined();
    const away = client.realm(new URL('https://evil.example/token'));
    expect(away).toMatchObject({ withheld: true, fetch: egress });
    expect(away.authorization).toBeUndefined();
    const same = client.realm(new URL('https://reg.example:5000/token'));
    expect(same).toMatchObject({ authorization: basic('pull'), fetch: egress });
  });

  it('refuses a secretRef whose grant does not name the registry host', async () => {
    await expect(
      imageClient(deps(['other.example']), 'reg.example:5000/team/web', caller, { name: 'pull' }),
    ).rejects.toThrow(/may not be sent to reg\.example:5000/);
  });

  it('uses the administrator’s registry credentials only for the Projects the entry names', async () => {
    const entry = { url: 'oci://reg.example:5000', secretRef: { name: 'admin' }, projects: ['payments'] };
    const { client: other } = await imageClient(deps([], [entry]), 'reg.example:5000/team/web', caller);
    expect(other.fetch).toBe(egress);
    expect(other.authFor('https://reg.example:5000/v2/')).toBeUndefined();
    const { client: own } = await imageClient(deps([], [entry]), 'reg.example:5000/team/web', {
      ...caller,
      project: 'payments',
    });
    expect(own.fetch).not.toBe(egress);
    expect(own.authFor('https://reg.example:5000/v2/')).toBe(basic('admin'));
  });
});

describe('nextPage', () => {
  const base = 'https://reg.example:5000';
  it('follows the registry’s Link header within the same repository’s tag list only', () => {
    expect(nextPage('</v2/team/web/tags/list?n=2&last=b>; rel="next"', base, 'team/web')).toBe(
      `${base}/v2/team/web/tags/list?n=2&last=b`,
    );
    expect(nextPage(null, base, 'team/web')).toBeUndefined();
    expect(() =>
      nextPage('<https://evil.example/v2/team/web/tags/list>; rel="next"', base, 'team/web'),
    ).toThrow(/not this repository's tag list/);
    expect(() => nextPage('</v2/other/app/tags/list?n=2>; rel="next"', base, 'team/web')).toThrow(
      /not this repository's tag list/,
    );
  });
});
