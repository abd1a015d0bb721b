// Signed approval tokens: `v1.<base64url claims JSON>.<base64url Ed25519 signature>`. The signature
// covers a domain prefix and the encoded claims, so a key used to sign approvals signs nothing else
// that could pass for one. The CLI signs with the approver's private key; the worker checks with the
// public key its administrator configured for that name.
import { createPrivateKey, createPublicKey, type KeyObject, randomBytes, sign, verify } from 'node:crypto';
import type { ApproverConfig } from '../trust/config.js';
import type { ApprovalClaims, ApprovalTarget } from './types.js';

const PREFIX = 'v1';
const DOMAIN = 'sluice-approval-v1.';

/** Longest lifetime a token may claim; a longer one is refused whatever it says. */
export const MAX_TOKEN_LIFETIME_S = 60 * 60;
/** Clock difference tolerated between the approver's machine and the worker. */
export const CLOCK_SKEW_S = 60;

/** Why a token was refused; the message is shown to the person approving. */
export class ApprovalTokenError extends Error {
  override name = 'ApprovalTokenError' as const;
}

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64url');
const signedBytes = (payload: string) => Buffer.from(DOMAIN + payload, 'utf8');

/** Reads an Ed25519 private key (PKCS#8 PEM; text before the PEM block is ignored). */
export function approverPrivateKey(pem: string): KeyObject {
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== 'ed25519')
    throw new ApprovalTokenError(`an approver key must be Ed25519, not ${key.asymmetricKeyType}`);
  return key;
}

/** Reads an Ed25519 public key (SPKI PEM). */
export function approverPublicKey(pem: string): KeyObject {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519')
    throw new ApprovalTokenError(`an approver key must be Ed25519, not ${key.asymmetricKeyType}`);
  return key;
}

/** Signs claims for a target; `ttlS` seconds of validity (at most MAX_TOKEN_LIFETIME_S). */
export function signApproval(
  key: KeyObject,
  name: string,
  target: ApprovalTarget,
  opts: { ttlS?: number; nowMs?: number } = {},
): string {
  const iat = Math.floor((opts.nowMs ?? Date.now()) / 1000);
  const claims: ApprovalClaims = {
    v: 1,
    sub: name,
    wf: target.workflowId,
    run: target.runId,
    act: target.act,
    ...(target.step !== undefined ? { step: target.step } : {}),
    iat,
    exp: iat + Math.min(opts.ttlS ?? 300, MAX_TOKEN_LIFETIME_S),
    nonce: b64(randomBytes(16)),
  };
  const payload = b64(JSON.stringify(claims));
  return `${PREFIX}.${payload}.${b64(sign(null, signedBytes(payload), key))}`;
}

/** The claims of a token, unverified (for error messages and the CLI); throws on a malformed one. */
export function decodeApproval(token: string): {
  claims: ApprovalClaims;
  payload: string;
  signature: Buffer;
} {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== PREFIX)
    throw new ApprovalTokenError('not a Sluice approval token (expected v1.<claims>.<signature>)');
  const [, payload, sig] = parts as [string, string, string];
  let claims: ApprovalClaims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as ApprovalClaims;
  } catch {
    throw new ApprovalTokenError('the approval token’s claims are not valid JSON');
  }
  const str = (v: unknown) => typeof v === 'string' && v !== '';
  const int = (v: unknown) => Number.isSafeInteger(v);
  if (
    claims === null ||
    typeof claims !== 'object' ||
    claims.v !== 1 ||
    !str(claims.sub) ||
    !str(claims.wf) ||
    !str(claims.run) ||
    !['approve', 'promote', 'resume'].includes(claims.act) ||
    (claims.step !== undefined && !str(claims.step)) ||
    !int(claims.iat) ||
    !int(claims.exp) ||
    !str(claims.nonce)
  )
    throw new ApprovalTokenError('the approval token’s claims are incomplete or of the wrong type');
  return { claims, payload, signature: Buffer.from(sig, 'base64url') };
}

const when = (s: number) => new Date(s * 1000).toISOString();
const what = (t: { act: string; step?: string }) => (t.act === 'approve' ? `step "${t.step}"` : t.act);

/**
 * Verifies a token against the configured approvers and what it must be for; answers the approver.
 * Order: the signature first (a claim nobody signed says nothing), then the binding, then the time.
 */
export function verifyApprovalToken(
  token: string,
  approvers: ApproverConfig[],
  target: ApprovalTarget,
  nowMs: number = Date.now(),
): { name: string; groups: string[]; nonce: string; claims: ApprovalClaims } {
  const { claims, payload, signature } = decodeApproval(token);
  const approver = approvers.find((a) => a.name === claims.sub);
  if (!approver)
    throw new ApprovalTokenError(
      `"${claims.sub}" is not an approver in the worker config (its administrator adds approvers with their public keys)`,
    );
  let ok = false;
  try {
    ok = verify(null, signedBytes(payload), approverPublicKey(approver.publicKey), signature);
  } catch {
    ok = false;
  }
  if (!ok)
    throw new ApprovalTokenError(
      `the approval token is not signed by ${claims.sub}'s key (the worker config's public key for ${claims.sub} does not verify it)`,
    );
  if (claims.wf !== target.workflowId)
    throw new ApprovalTokenError(`the approval token is for ${claims.wf}, not ${target.workflowId}`);
  if (claims.run !== target.runId)
    throw new ApprovalTokenError(
      `the approval token is for run ${claims.run} of ${claims.wf}, not run ${target.runId}`,
    );
  if (claims.act !== target.act || (target.act === 'approve' && claims.step !== target.step))
    throw new ApprovalTokenError(`the approval token is for ${what(claims)}, not ${what(target)}`);
  const now = Math.floor(nowMs / 1000);
  if (claims.exp - claims.iat > MAX_TOKEN_LIFETIME_S)
    throw new ApprovalTokenError(
      `the approval token claims a lifetime of ${claims.exp - claims.iat}s; at most ${MAX_TOKEN_LIFETIME_S}s is accepted`,
    );
  if (claims.iat > now + CLOCK_SKEW_S)
    throw new ApprovalTokenError(
      `the approval token was issued in the future (${when(claims.iat)}; the worker's clock says ${when(now)})`,
    );
  if (now >= claims.exp)
    throw new ApprovalTokenError(
      `the approval token expired at ${when(claims.exp)} (now ${when(now)}): sign a new one`,
    );
  return { name: approver.name, groups: approver.groups, nonce: claims.nonce, claims };
}
