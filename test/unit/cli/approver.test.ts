import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkApproval } from '../../../activities/approvals/index.js';
import { decodeApproval } from '../../../activities/approvals/token.js';
import { approvalRequest, readApproverKey } from '../../../cli/approval.js';
import { approverCommand } from '../../../cli/commands/approver.js';
import { loadWorkerConfig } from '../../../worker/config.js';

const dir = () => mkdtempSync(join(tmpdir(), 'sluice-approver-'));

async function keygen(args: string[]): Promise<string> {
  let out = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s);
    return true;
  });
  vi.spyOn(console, 'error').mockImplementation(() => {});
  try {
    await new Command('sluice')
      .exitOverride()
      .addCommand(approverCommand())
      .parseAsync(args, { from: 'user' });
  } finally {
    write.mockRestore();
  }
  return out;
}

const fakeHandle = (workflowId: string, runId: string) =>
  ({ workflowId, describe: async () => ({ runId }) }) as unknown as WorkflowHandle;

afterEach(() => vi.restoreAllMocks());

describe('sluice approver keygen', () => {
  it('writes a private key only its owner can read, and prints a worker-config entry the worker accepts', async () => {
    const d = dir();
    const key = join(d, 'alice.pem');
    const snippet = await keygen(['approver', 'keygen', '--name', 'alice', '--out', key]);
    expect(statSync(key).mode & 0o777).toBe(0o600);
    expect(readFileSync(key, 'utf8')).toMatch(/^Sluice-Approver: alice\n-----BEGIN PRIVATE KEY-----/);
    expect(snippet).toMatch(
      /^approvers:\n {2}- name: alice\n {4}groups: \[\]\n {4}publicKey: \|\n {6}-----BEGIN PUBLIC KEY-----/,
    );

    // The administrator pastes it into the worker config; a token signed with the key then verifies.
    const cfg = join(d, 'worker.yaml');
    writeFileSync(cfg, snippet);
    const trust = loadWorkerConfig(cfg, {}).trust;
    expect(trust.approvers.map((a) => a.name)).toEqual(['alice']);
    const request = await approvalRequest(fakeHandle('pipeline/p/1', 'r1'), 'approve', 'prod', {
      key,
      ttl: 120_000,
    });
    expect(request.by).toBe('alice');
    const target = { workflowId: 'pipeline/p/1', runId: 'r1', act: 'approve' as const, step: 'prod' };
    expect(checkApproval(trust, request, target)).toMatchObject({ ok: true, verified: true, name: 'alice' });
    const claims = decodeApproval(request.token as string).claims;
    expect(claims.exp - claims.iat).toBe(120);

    // public-key prints the same entry again from the private key.
    expect(await keygen(['approver', 'public-key', key])).toBe(snippet);
  });

  it('refuses to overwrite a key, and a --by that is not the key’s name', async () => {
    const d = dir();
    const key = join(d, 'bob.pem');
    await keygen(['approver', 'keygen', '--name', 'bob', '--out', key]);
    await expect(keygen(['approver', 'keygen', '--name', 'bob', '--out', key])).rejects.toThrow(
      /exists already/,
    );
    await expect(
      approvalRequest(fakeHandle('pipeline/p/1', 'r1'), 'approve', 'prod', {
        key,
        by: 'alice',
        ttl: 300_000,
      }),
    ).rejects.toThrow(`--by alice but ${key} is bob's key`);
    await expect(
      approvalRequest(fakeHandle('pipeline/p/1', 'r1'), 'approve', 'prod', { key, ttl: 7_200_000 }),
    ).rejects.toThrow(/--ttl must be between 1s and 1h/);
    expect(readApproverKey(key).name).toBe('bob');
  });

  it('sends only the name, unsigned, without a key', async () => {
    expect(
      await approvalRequest(fakeHandle('x', 'y'), 'promote', undefined, { by: 'carol', ttl: 300_000 }),
    ).toEqual({
      by: 'carol',
    });
  });
});

describe('approvers in the worker config', () => {
  it('refuses a public key that is not Ed25519 PEM, a name listed twice, and reads requireSignedApprovals', () => {
    const d = dir();
    const cfg = (text: string) => {
      const p = join(d, `w-${Math.random()}.yaml`);
      writeFileSync(p, text);
      return p;
    };
    expect(() => loadWorkerConfig(cfg('approvers:\n  - {name: alice, publicKey: nope}\n'), {})).toThrow(
      /approvers\[alice\]: publicKey is not an Ed25519 public key in PEM/,
    );
    expect(() =>
      loadWorkerConfig(cfg(`approvers:\n  - {name: alice, publicKeyFile: ${join(d, 'missing.pem')}}\n`), {}),
    ).toThrow(/publicKeyFile .*missing.pem is not an Ed25519 public key/);
    expect(loadWorkerConfig(cfg('requireSignedApprovals: true\n'), {}).trust.requireSignedApprovals).toBe(
      true,
    );
    expect(loadWorkerConfig(cfg('taskQueue: q\n'), {}).trust.requireSignedApprovals).toBe(false);
  });
});
