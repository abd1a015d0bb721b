import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { countAudit, writesPerSecond } from '../../../bench/lib/audit-count.js';
import { markAuditLog, readAuditSince } from '../../../bench/lib/audit-log.js';

const event = (id: string, user: string, verb: string, at: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    auditID: id,
    stage: 'ResponseComplete',
    verb,
    user: { username: user },
    userAgent: 'kube-controller-manager/v1.33.0 (linux/amd64) kubernetes/abc/deployment-controller',
    objectRef: { apiGroup: 'apps', resource: 'deployments' },
    requestReceivedTimestamp: at,
    stageTimestamp: at,
    responseStatus: { code: 200 },
    ...extra,
  });

describe('audit log reading', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('returns only what was appended after the mark, across a size rotation', () => {
    dir = mkdtempSync(join(tmpdir(), 'audit-'));
    const log = join(dir, 'kube-apiserver-audit.log');
    writeFileSync(log, '{"before":1}\n');
    const mark = markAuditLog(log);
    appendFileSync(log, '{"a":1}\n');
    // lumberjack renames the full file with a timestamp and starts a new one.
    renameSync(log, join(dir, 'kube-apiserver-audit-2026-11-27T10-00-00.000.log'));
    writeFileSync(log, '{"b":2}\n{"c":3}\n');
    expect(readAuditSince(mark)).toEqual({ lines: ['{"a":1}', '{"b":2}', '{"c":3}'], complete: true });
  });

  it('says when the marked file was rotated away', () => {
    dir = mkdtempSync(join(tmpdir(), 'audit-'));
    const log = join(dir, 'kube-apiserver-audit.log');
    writeFileSync(log, '{"old":1}\n');
    const mark = markAuditLog(log);
    rmSync(log);
    writeFileSync(log, '{}\n');
    expect(readAuditSince(mark).complete).toBe(false);
  });
});

describe('audit counting', () => {
  const own = new Set(['bench-floor']);
  const window = { from: Date.parse('2026-11-27T10:00:00Z'), to: Date.parse('2026-11-27T10:01:00Z') };

  it('counts each request once per client, reads and writes apart, inside the window only', () => {
    const lines = [
      event('1', 'bench-floor', 'patch', '2026-11-27T10:00:01Z'),
      event('2', 'bench-floor', 'patch', '2026-11-27T10:00:03Z'),
      event('3', 'bench-floor', 'watch', '2026-11-27T10:00:00.5Z', { stage: 'ResponseStarted' }),
      event('3', 'bench-floor', 'watch', '2026-11-27T10:00:00.5Z'),
      event('4', 'bench-floor', 'get', '2026-11-27T09:59:59Z'), // before the window
      event('6', 'bench-floor', 'get', '2026-11-27T10:00:02Z', { responseStatus: { code: 404 } }), // not an error
      event('5', 'sluice-admin', 'update', '2026-11-27T10:00:02Z', {
        objectRef: { apiGroup: 'apps', resource: 'deployments', subresource: 'status' },
        responseStatus: { code: 409 },
      }),
      'not json',
    ];
    const counts = countAudit(lines, window, own);
    expect(counts['bench-floor']).toEqual({
      reads: 2,
      writes: 2,
      byKey: { 'patch apps/deployments': 2, 'watch apps/deployments': 1, 'get apps/deployments': 1 },
      writeWindow: { from: Date.parse('2026-11-27T10:00:01Z'), to: Date.parse('2026-11-27T10:00:03Z') },
      errors: 0,
    });
    // The shared admin user is split by the program in its user agent.
    expect(counts['sluice-admin (kube-controller-manager)']).toMatchObject({
      writes: 1,
      errors: 1,
      byKey: { 'update apps/deployments/status': 1 },
    });
    expect(writesPerSecond(counts['bench-floor'])).toBe(1);
    expect(writesPerSecond(undefined)).toBe(0);
  });
});
