import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWorkerConfig, WorkerConfigError } from '../../../worker/config.js';

// Worker config errors read like pipeline-file errors: file:line:col, the field, and a did-you-mean.
describe('worker config file errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-wcfg-errors-'));
  const load = (text: string) => {
    const path = join(dir, `w${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(path, text);
    try {
      loadWorkerConfig(path, {});
    } catch (err) {
      expect(err).toBeInstanceOf(WorkerConfigError);
      return { path, message: (err as Error).message };
    }
    throw new Error('loaded');
  };

  it('an unknown key: its line and column, the field, and the nearest known key', () => {
    const { path, message } = load('taskQueue: q\ntemporal:\n  adress: temporal:7233\n');
    expect(message).toContain(`${path}:3:3: temporal.adress: unknown field (did you mean "address"?)`);
    const top = load('taskqueue: q\n');
    expect(top.message).toContain(`${top.path}:1:1: taskqueue: unknown field (did you mean "taskQueue"?)`);
  });

  it('a wrong type: the value is pointed at, with what fits', () => {
    const { path, message } = load('webhooks:\n  port: "9480"\nmetrics: {port: 99999}\n');
    expect(message).toContain(`${path}:2:9: webhooks.port: must be integer ≥ 0 and ≤ 65535`);
    expect(message).toContain(`${path}:3:17: metrics.port: must be integer ≥ 0 and ≤ 65535`);
  });

  it('a YAML syntax error: where the parser stopped', () => {
    const { path, message } = load('taskQueue: q\nrepositories: [a\nkube: {}\n');
    expect(message).toMatch(new RegExp(`${path}:\\d+:\\d+: YAML syntax error: `));
  });

  it('every problem at once, in file order', () => {
    const { message } = load('shutdownGraceTime: soon\nsecrets: [{type: vault}]\n');
    const lines = message.split('\n').slice(1);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(':1:20: shutdownGraceTime: must be a duration such as 30s');
    expect(lines[1]).toContain(':2:18: secrets[0].type: must be one of: env, files, kubernetes');
  });
});
