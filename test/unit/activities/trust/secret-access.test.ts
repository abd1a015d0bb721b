import { describe, expect, it } from 'vitest';
import { SecretStore } from '../../../../activities/secrets/secret-store.js';
import { ProjectRegistry } from '../../../../activities/trust/projects.js';
import { hostAllowed, SecretAccess, SecretAccessError } from '../../../../activities/trust/secret-access.js';

const store = new SecretStore([
  {
    description: 'test secrets',
    lookup: async (name) =>
      (
        ({
          'shop-prom': { token: 'p-token' },
          'shop-teams': { url: 'https://outlook.example.com/hook/abc' },
        }) as Record<string, Record<string, string>>
      )[name],
  },
]);
const projects = new ProjectRegistry({
  projects: [],
  repositories: [
    { id: 'shop', url: 'https://git.example.com/shop.git', projects: ['shop'] },
    { id: 'pay', url: 'https://git.example.com/pay.git', projects: ['pay'] },
  ],
});
const access = new SecretAccess(
  store,
  [
    { name: 'shop-prom', projects: ['shop'], hosts: ['prometheus.shop.svc:9090'] },
    { name: 'shop-teams', projects: ['shop'], hosts: ['outlook.example.com'] },
  ],
  projects,
);
const shop = { repoId: 'shop', project: 'shop' };

describe('SecretAccess', () => {
  it('hands a granted secret to its Project when it goes to a granted host', async () => {
    const values = await access.resolve(
      { name: 'shop-prom', key: 'token' },
      { caller: shop, sendTo: 'http://prometheus.shop.svc:9090/api/v1/query' },
    );
    expect(values.token).toBe('p-token');
  });

  it('refuses another Project, naming the grant to ask for and never the value', async () => {
    const use = { caller: { repoId: 'pay', project: 'pay' }, sendTo: 'http://prometheus.shop.svc:9090' };
    const err = await access.resolve({ name: 'shop-prom' }, use).catch((e: Error) => e);
    expect(err).toBeInstanceOf(SecretAccessError);
    expect((err as Error).message).toBe(
      'secret "shop-prom" is not granted to Project "pay" (repository pay): the administrator grants secrets to Projects in the worker config (secretAccess)',
    );
  });

  it('refuses a caller claiming a Project its repository is not bound to', async () => {
    await expect(
      access.resolve(
        { name: 'shop-prom' },
        { caller: { repoId: 'pay', project: 'shop' }, sendTo: 'http://x' },
      ),
    ).rejects.toThrow('repository pay is not bound to Project "shop"');
  });

  it('refuses to send the value to an author-chosen host, port or scheme trick', async () => {
    for (const url of [
      'https://attacker.example.net/collect',
      'http://prometheus.shop.svc:9091/',
      'http://prometheus.shop.svc.attacker.net:9090/',
      'http://user@attacker.example.net:9090/',
    ])
      await expect(access.resolve({ name: 'shop-prom' }, { caller: shop, sendTo: url })).rejects.toThrow(
        /may not be sent to .*: its grant allows prometheus\.shop\.svc:9090/,
      );
  });

  it('checks a URL held in the secret itself (Teams, Discord) once it is read', async () => {
    const ok = await access.resolve(
      { name: 'shop-teams', key: 'url' },
      { caller: shop, sendTo: (v) => v.url },
    );
    expect(ok.url).toContain('outlook.example.com');
    await expect(
      access.resolve(
        { name: 'shop-teams', key: 'url' },
        { caller: shop, sendTo: () => 'https://evil.example/' },
      ),
    ).rejects.toThrow('may not be sent to evil.example');
  });
});

describe('hostAllowed', () => {
  it('matches hosts, ports and globs, and nothing that only looks alike', () => {
    expect(hostAllowed(['hooks.example.com'], 'https://hooks.example.com/x')).toBe(true);
    expect(hostAllowed(['hooks.example.com:8443'], 'https://hooks.example.com/x')).toBe(false);
    expect(hostAllowed(['hooks.example.com:443'], 'https://hooks.example.com/x')).toBe(true);
    expect(hostAllowed(['*.example.com'], 'https://a.example.com/x')).toBe(true);
    expect(hostAllowed(['*.example.com'], 'https://example.com.evil.net/x')).toBe(false);
    expect(hostAllowed(['127.0.0.1:*'], 'http://127.0.0.1:9999/')).toBe(true);
    expect(hostAllowed(['[::1]:8080'], 'http://[::1]:8080/')).toBe(true);
    expect(hostAllowed(['*'], 'not a url')).toBe(false);
  });
});
