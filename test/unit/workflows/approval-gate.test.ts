import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkApproval } from '../../../activities/approvals/index.js';
import { signApproval } from '../../../activities/approvals/token.js';
import type { ApprovalTarget } from '../../../activities/approvals/types.js';
import { ApprovalGate, approverList, isListedApprover } from '../../../workflows/shared/approval-gate.js';

const pem = (k: KeyObject) => k.export({ type: 'spki', format: 'pem' }) as string;
const alice = generateKeyPairSync('ed25519');
const bob = generateKeyPairSync('ed25519');
const trust = {
  approvers: [
    { name: 'alice', publicKey: pem(alice.publicKey), groups: ['sre'] },
    { name: 'bob', publicKey: pem(bob.publicKey), groups: [] },
  ],
  requireSignedApprovals: false,
};
const target: ApprovalTarget = { workflowId: 'pipeline/p/1', runId: 'r1', act: 'approve', step: 'prod' };
/** A gate whose "activity" is the real check, run in process. */
const newGate = () => new ApprovalGate(async (input) => checkApproval(trust, input.request, input.target));

describe('approval gates in workflow code', () => {
  it('need a token where approvers are listed (the validator refuses --by alone)', () => {
    const gate = newGate();
    expect(() =>
      gate.precheck({ by: 'alice' }, ['alice'], 'step "prod"', 'sluice pipeline approve RUN STEP'),
    ).toThrow(/may be approved only by alice, with a signed approval .*--by alone proves nothing/);
    expect(() => gate.precheck({ by: 'alice' }, undefined, 'step "prod"', 'x')).not.toThrow();
  });

  it('record a listed approver as verified, and refuse a verified approver not on the list', async () => {
    const gate = newGate();
    const token = signApproval(alice.privateKey, 'alice', target);
    await expect(gate.authorize({ token }, target, ['alice'], 'step "prod"')).resolves.toEqual({
      by: 'alice',
      verified: true,
    });
    const bobs = signApproval(bob.privateKey, 'bob', target);
    await expect(gate.authorize({ token: bobs }, target, ['alice'], 'step "prod"')).rejects.toThrow(
      'bob may not approve step "prod" (approvers: alice)',
    );
  });

  it('accept group:<name> entries for members of the group', async () => {
    const gate = newGate();
    const token = signApproval(alice.privateKey, 'alice', target);
    await expect(gate.authorize({ token }, target, ['group:sre'], 'step "prod"')).resolves.toMatchObject({
      by: 'alice',
    });
    expect(isListedApprover(['group:sre'], 'bob', [])).toBe(false);
    expect(isListedApprover(['bob'], 'bob', [])).toBe(true);
  });

  it('refuse a token played a second time, even one that was refused for the list the first time', async () => {
    const gate = newGate();
    const token = signApproval(alice.privateKey, 'alice', target);
    await gate.authorize({ token }, target, ['alice'], 'step "prod"');
    await expect(gate.authorize({ token }, target, ['alice'], 'step "prod"')).rejects.toThrow(
      /this approval token was used already/,
    );
    const bobs = signApproval(bob.privateKey, 'bob', target);
    await expect(gate.authorize({ token: bobs }, target, ['alice'], 'step "prod"')).rejects.toThrow(
      /may not approve/,
    );
    await expect(gate.authorize({ token: bobs }, target, undefined, 'step "prod"')).rejects.toThrow(
      /used already/,
    );
  });

  it('refuse a token signed for another step of the same run', async () => {
    const gate = newGate();
    const token = signApproval(alice.privateKey, 'alice', { ...target, step: 'staging' });
    await expect(gate.authorize({ token }, target, ['alice'], 'step "prod"')).rejects.toThrow(
      /approval refused: the approval token is for step "staging", not step "prod"/,
    );
  });

  it('let anyone through, unverified, where no approvers are listed', async () => {
    await expect(newGate().authorize({ by: 'carol' }, target, undefined, 'step "prod"')).resolves.toEqual({
      by: 'carol',
      verified: false,
    });
    await expect(newGate().authorize(undefined, target, undefined, 'promote')).resolves.toEqual({
      by: 'anonymous',
      verified: false,
    });
  });

  it('read an approvers list (none or empty: anyone)', () => {
    expect(approverList(undefined)).toBeUndefined();
    expect(approverList([])).toBeUndefined();
    expect(approverList(['alice', 'group:sre'])).toEqual(['alice', 'group:sre']);
  });
});
