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
    expect(c.kube).toEqual({ qps: 50, burst: 100, concurrency: 8 });
    expect(c.clusters).toEqual([]);
  });

  it('names the file and every bad field', () => {
    const path = file('taskQueue: ""\nrepositories:\n  - id: "bad id"\n    url: x\n    token: abc\n');
    expect(() => loadWorkerConfig(path, {})).toThrow(path);
    try {
      loadWorkerConfig(path, {});
    } catch (e) {
      const msg = (e as Error).message;
      expect(msg).toContain('/taskQueue must NOT have fewer than 1 characters');
      expect(msg).toContain('/repositories/0/id must match pattern');
      expect(msg).toContain('/repositories/0 must NOT have additional properties (token)');
    }
  });
});
