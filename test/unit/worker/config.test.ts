import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWorkerConfig } from '../../../worker/config.js';

function file(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'sluice-wcfg-')), 'worker.yaml');
  writeFileSync(path, content);
  return path;
}

describe('loadWorkerConfig', () => {
  it("keeps a repository's include and exclude globs and refuses an empty glob", () => {
    const c = loadWorkerConfig(
      file(
        'taskQueue: q1\nrepositories:\n  - id: mono\n    url: http://127.0.0.1:8180/mono.git\n    path: teams\n    include: ["*/apps/**"]\n    exclude: [legacy/**]\n',
      ),
      {},
    );
    expect(c.repositories[0]).toMatchObject({
      path: 'teams',
      include: ['*/apps/**'],
      exclude: ['legacy/**'],
    });
    expect(() =>
      loadWorkerConfig(
        file('repositories:\n  - id: mono\n    url: http://127.0.0.1:8180/mono.git\n    exclude: [""]\n'),
        {},
      ),
    ).toThrow(/repositories\[0\]\.exclude\[0\]/);
  });

  it('fills defaults for repositories and lets the environment override Temporal settings', () => {
    const c = loadWorkerConfig(
      file(
        'taskQueue: q1\nrepositories:\n  - id: demo\n    url: http://127.0.0.1:8180/demo.git\n    webhookSecretRef: {name: hook}\n',
      ),
      { SLUICE_TEMPORAL_ADDRESS: 'temporal:7233' },
    );
    expect(c.temporal).toEqual({ address: 'temporal:7233', namespace: 'default' });
    expect(c.taskQueue).toBe('q1');
    expect(c.repositories).toEqual([
      {
        id: 'demo',
        url: 'http://127.0.0.1:8180/demo.git',
        revision: 'main',
        path: '.',
        webhookSecretRef: { name: 'hook' },
        projects: ['default'],
      },
    ]);
    expect(c.webhooks).toEqual({ host: '127.0.0.1', port: 9480, maxBodyBytes: 1048576 });
    expect(c.kube).toEqual({
      qps: 50,
      burst: 100,
      writeQps: 50,
      writeBurst: 100,
      maxInFlight: 32,
      concurrency: 8,
    });
    expect(c.clusters).toEqual([]);
  });

  it('reads write limits and in-flight requests worker-wide, and per cluster where a cluster names them', () => {
    const c = loadWorkerConfig(
      file(
        'kube: {writeQps: 5, maxInFlight: 4}\nclusters:\n  - name: east\n    kube: {qps: 7, writeBurst: 2}\n',
      ),
      {},
    );
    expect(c.kube).toMatchObject({ qps: 50, writeQps: 5, writeBurst: 100, maxInFlight: 4 });
    expect(c.clusters[0]?.kube).toEqual({ qps: 7, writeBurst: 2 });
    expect(() => loadWorkerConfig(file('kube: {maxInFlight: 0}\n'), {})).toThrow(/maxInFlight/);
  });

  it('names the file and every bad field', () => {
    const path = file('taskQueue: ""\nrepositories:\n  - id: "bad id"\n    url: x\n    token: abc\n');
    expect(() => loadWorkerConfig(path, {})).toThrow(path);
    try {
      loadWorkerConfig(path, {});
    } catch (e) {
      const msg = (e as Error).message;
      expect(msg).toContain(`${path}:1:12: taskQueue: must not be empty`);
      expect(msg).toContain(`${path}:3:9: repositories[0].id: must match`);
      expect(msg).toContain(`${path}:5:5: repositories[0].token: unknown field (known fields: id, url,`);
    }
  });
});

describe('loadWorkerConfig: repository URLs with credentials', () => {
  const loadError = (content: string): Error => {
    try {
      loadWorkerConfig(file(content), {});
    } catch (e) {
      return e as Error;
    }
    throw new Error('loaded');
  };

  it.each([
    ['https://bob:hunter2@git.example.com/team/shop.git', 'hunter2'],
    ['https://ghp_s3cr3tT0ken@git.example.com/team/shop.git', 'ghp_s3cr3tT0ken'],
    ['ssh://bob:hunter2@git.example.com/team/shop.git', 'hunter2'],
  ])('refuses %s in repositories[], naming the key and never the credential', (url, credential) => {
    const err = loadError(`repositories:\n  - id: shop\n    url: "${url}"\n`);
    expect(err.name).toBe('WorkerConfigError');
    expect(err.message).toContain('repositories[shop].url');
    expect(err.message).not.toContain(credential);
  });

  it('refuses them in adminRepository.url too, and says where credentials go', () => {
    const err = loadError(
      'adminRepository:\n  url: https://admin:hunter2@git.example.com/platform/admin.git\n',
    );
    expect(err.name).toBe('WorkerConfigError');
    expect(err.message).toContain('adminRepository.url');
    expect(err.message).toContain('put them in a secret and name it in secretRef');
    expect(err.message).not.toContain('hunter2');
  });

  it('applications.refreshInterval defaults to 3m and refuses a safety net shorter than 10s', () => {
    expect(loadWorkerConfig(file('taskQueue: q\n'), {}).applications).toEqual({ refreshInterval: '3m' });
    expect(
      loadWorkerConfig(file('applications:\n  refreshInterval: 10m\n'), {}).applications.refreshInterval,
    ).toBe('10m');
    expect(() => loadWorkerConfig(file('applications:\n  refreshInterval: 2s\n'), {})).toThrow(
      /applications.refreshInterval "2s" is shorter than 10s: it is a safety net/,
    );
    expect(() => loadWorkerConfig(file('applications:\n  refreshInterval: soon\n'), {})).toThrow(
      /:2:20: applications.refreshInterval: must be a duration such as 30s/,
    );
  });
});

describe('worker config: logLevel and sdkMetrics', () => {
  it('defaults to info with the SDK metrics off, and reads both keys', () => {
    const plain = loadWorkerConfig(undefined, {});
    expect(plain.logLevel).toBe('info');
    expect(plain.sdkMetrics).toBeUndefined();
    expect(loadWorkerConfig(file('logLevel: debug\nsdkMetrics: {port: 19465}\n'), {})).toMatchObject({
      logLevel: 'debug',
      sdkMetrics: { host: '127.0.0.1', port: 19465 },
    });
    expect(() => loadWorkerConfig(file('logLevel: loud\n'), {})).toThrow(/logLevel/);
  });

  it('rollouts.defaultProvider is absent by default and must name a traffic provider', () => {
    expect(loadWorkerConfig(file('taskQueue: q\n'), {}).rollouts).toEqual({});
    expect(loadWorkerConfig(file('rollouts:\n  defaultProvider: istio\n'), {}).rollouts).toEqual({
      defaultProvider: 'istio',
    });
    expect(() => loadWorkerConfig(file('rollouts:\n  defaultProvider: consul\n'), {})).toThrow(
      /rollouts.defaultProvider/,
    );
  });
});
