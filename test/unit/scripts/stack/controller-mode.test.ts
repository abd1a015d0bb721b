import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  controllerModeArgs,
  fastControllerArgs,
  modeOfArgs,
} from '../../../../scripts/stack/controller-mode.js';
import { auditArgs } from '../../../../scripts/stack/kube-audit.js';

describe('kube-controller-manager modes', () => {
  it('the fast mode passes the issue’s limits; a command line is read back as its mode', () => {
    expect(controllerModeArgs('default')).toEqual([]);
    expect(controllerModeArgs('fast')).toEqual([
      '--kube-api-qps=500',
      '--kube-api-burst=1000',
      '--concurrent-deployment-syncs=50',
      '--concurrent-replicaset-syncs=50',
    ]);
    expect(modeOfArgs(['/bin/kube-controller-manager', '--controllers=*', ...fastControllerArgs])).toBe(
      'fast',
    );
    expect(modeOfArgs(['/bin/kube-controller-manager', '--kube-api-qps=500'])).toBe('default');
  });
});

describe('kube-apiserver audit log', () => {
  it('logs every request at Metadata level to a bounded, rotated file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-policy-'));
    try {
      const args = auditArgs(dir, '/data/logs/audit.log');
      expect(args).toContain('--audit-log-path=/data/logs/audit.log');
      expect(args).toContain('--audit-log-maxsize=64');
      expect(args).toContain('--audit-log-maxbackup=2');
      const policy = readFileSync(join(dir, 'audit-policy.yaml'), 'utf8');
      expect(policy).toContain('level: Metadata');
      expect(policy).toContain('omitStages: ["RequestReceived"]');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
