import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkApproval } from '../../../../activities/approvals/index.js';
import {
  decodeApproval,
  MAX_TOKEN_LIFETIME_S,
  signApproval,
  verifyApprovalToken,
} from '../../../../activities/approvals/token.js';
import type { ApprovalTarget } from '../../../../activities/approvals/types.js';
import type { ApproverConfig } from '../../../../activities/trust/config.js';

const keyPair = () => generateKeyPairSync('ed25519');
const pem = (k: KeyObject) => k.export({ type: 'spki', format: 'pem' }) as string;

const alice = keyPair();
const bob = keyPair();
const mallory = keyPair();
const approvers: ApproverConfig[] = [
  { name: 'alice', publicKey: pem(alice.publicKey), groups: ['release'] },
  { name: 'bob', publicKey: pem(bob.publicKey), groups: [] },
];
const gate: ApprovalTarget = {
  workflowId: 'pipeline/promote/7',
  runId: 'run-1',
  act: 'approve',
  step: 'prod',
};
const now = Date.parse('2025-06-01T12:00:00Z');
const verifyAt =
  (token: string, target = gate, at = now) =>
  () =>
    verifyApprovalToken(token, approvers, target, at);

describe('signed approval tokens', () => {
  it('verify for the approver, run and step they were signed for', () => {
    const token = signApproval(alice.privateKey, 'alice', gate, { nowMs: now });
    expect(token).toMatch(/^v1\.[\w-]+\.[\w-]+$/);
    const v = verifyApprovalToken(token, approvers, gate, now + 60_000);
    expect(v).toMatchObject({ name: 'alice', groups: ['release'] });
    expect(v.nonce).toMatch(/^[\w-]{22}$/);
    expect(v.claims).toMatchObject({
      sub: 'alice',
      wf: gate.workflowId,
      run: 'run-1',
      act: 'approve',
      step: 'prod',
    });
  });

  it('carry a fresh nonce each time, so each can be spent once', () => {
    const a = decodeApproval(signApproval(alice.privateKey, 'alice', gate, { nowMs: now })).claims.nonce;
    const b = decodeApproval(signApproval(alice.privateKey, 'alice', gate, { nowMs: now })).claims.nonce;
    expect(a).not.toBe(b);
  });

  it('refuse a token mallory signed with her own key claiming to be alice', () => {
    const forged = signApproval(mallory.privateKey, 'alice', gate, { nowMs: now });
    expect(verifyAt(forged)).toThrow(/not signed by alice's key/);
  });

  it('refuse claims edited after signing (the signature covers them)', () => {
    const [, , sig] = signApproval(bob.privateKey, 'bob', gate, { nowMs: now }).split('.');
    const claims = decodeApproval(signApproval(bob.privateKey, 'bob', gate, { nowMs: now })).claims;
    const edited = Buffer.from(JSON.stringify({ ...claims, sub: 'alice' })).toString('base64url');
    expect(verifyAt(`v1.${edited}.${sig}`)).toThrow(/not signed by alice's key/);
  });

  it('refuse an approver the worker config does not list', () => {
    const token = signApproval(mallory.privateKey, 'mallory', gate, { nowMs: now });
    expect(verifyAt(token)).toThrow(/"mallory" is not an approver in the worker config/);
  });

  it('refuse an expired token, one issued in the future, and one claiming too long a life', () => {
    const token = signApproval(alice.privateKey, 'alice', gate, { nowMs: now, ttlS: 300 });
    expect(verifyAt(token, gate, now + 299_000)).not.toThrow();
    expect(verifyAt(token, gate, now + 300_000)).toThrow(/expired at 2025-06-01T12:05:00.000Z/);
    expect(verifyAt(token, gate, now - 5 * 60_000)).toThrow(/issued in the future/);
    // signApproval caps the lifetime; a hand-made token claiming a day is refused anyway.
    const capped = decodeApproval(
      signApproval(alice.privateKey, 'alice', gate, { nowMs: now, ttlS: 86_400 }),
    );
    expect(capped.claims.exp - capped.claims.iat).toBe(MAX_TOKEN_LIFETIME_S);
  });

  it('refuse a token for another workflow, another run of the same ID, another step or another action', () => {
    const token = signApproval(alice.privateKey, 'alice', gate, { nowMs: now });
    expect(verifyAt(token, { ...gate, workflowId: 'pipeline/promote/8' })).toThrow(
      /is for pipeline\/promote\/7, not pipeline\/promote\/8/,
    );
    expect(verifyAt(token, { ...gate, runId: 'run-2' })).toThrow(
      /is for run run-1 of pipeline\/promote\/7, not run run-2/,
    );
    expect(verifyAt(token, { ...gate, step: 'staging' })).toThrow(/is for step "prod", not step "staging"/);
    const promote = signApproval(
      alice.privateKey,
      'alice',
      { workflowId: 'rollout/web/1', runId: 'r', act: 'promote' },
      { nowMs: now },
    );
    expect(verifyAt(promote, { workflowId: 'rollout/web/1', runId: 'r', act: 'resume' })).toThrow(
      /is for promote, not resume/,
    );
  });

  it('refuse text that is not a token', () => {
    expect(verifyAt('alice')).toThrow(/not a Sluice approval token/);
    expect(verifyAt('v1.e30.AAAA')).toThrow(/claims are incomplete/);
    expect(verifyAt('v1.!!!.AAAA')).toThrow(/not valid JSON|incomplete/);
  });
});

describe('checkApproval (the verifyApproval activity)', () => {
  const trust = { approvers, requireSignedApprovals: false };

  it('answers the verified approver and groups', () => {
    const token = signApproval(alice.privateKey, 'alice', gate);
    expect(checkApproval(trust, { token }, gate)).toMatchObject({
      ok: true,
      verified: true,
      name: 'alice',
      groups: ['release'],
    });
  });

  it('lets an unsigned approval through unverified, unless the worker requires signatures', () => {
    expect(checkApproval(trust, { by: 'carol' }, gate)).toEqual({ ok: true, verified: false });
    expect(checkApproval({ ...trust, requireSignedApprovals: true }, { by: 'carol' }, gate)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/requires signed approvals/),
    });
  });

  it('answers a refusal, never an unverified pass, for a bad token', () => {
    const forged = signApproval(mallory.privateKey, 'alice', gate);
    expect(checkApproval(trust, { by: 'alice', token: forged }, gate)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/not signed by alice's key/),
    });
  });

  it("refuses a request whose --by is not the token's approver", () => {
    const token = signApproval(bob.privateKey, 'bob', gate);
    expect(checkApproval(trust, { by: 'alice', token }, gate)).toMatchObject({
      ok: false,
      reason: "the request says it is from alice, but the token is bob's",
    });
  });
});
