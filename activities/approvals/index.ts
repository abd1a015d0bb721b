// The activity approval gates call: workflows cannot do crypto, so an approve step's, a promote's or a
// resume's update handler hands the token here and gets back who signed it (or why it is refused).
import type { TrustConfig } from '../trust/config.js';
import { ApprovalTokenError, verifyApprovalToken } from './token.js';
import type { ApprovalCheck, ApprovalRequest, ApprovalTarget } from './types.js';

export type { ApprovalCheck, ApprovalRequest, ApprovalTarget } from './types.js';

/** Checks an approval request for a target against the configured approvers; never throws for a refusal. */
export function checkApproval(
  trust: Pick<TrustConfig, 'approvers' | 'requireSignedApprovals'>,
  request: ApprovalRequest,
  target: ApprovalTarget,
  nowMs: number = Date.now(),
): ApprovalCheck {
  if (!request.token) {
    if (trust.requireSignedApprovals)
      return {
        ok: false,
        reason:
          'this worker requires signed approvals: sign with your approver key (--key FILE or SLUICE_APPROVER_KEY)',
      };
    return { ok: true, verified: false };
  }
  try {
    const v = verifyApprovalToken(request.token, trust.approvers, target, nowMs);
    if (request.by && request.by !== v.name)
      return { ok: false, reason: `the request says it is from ${request.by}, but the token is ${v.name}'s` };
    return { ok: true, verified: true, name: v.name, groups: v.groups, nonce: v.nonce };
  } catch (err) {
    if (err instanceof ApprovalTokenError) return { ok: false, reason: err.message };
    throw err;
  }
}

/** Builds the approval activities bound to the worker's trust config. */
export function approvalActivities(deps: { trust: TrustConfig }) {
  return {
    /** Verifies a signed approval (or allows an unsigned one where that is advisory); answers who approved. */
    async verifyApproval(input: {
      request: ApprovalRequest;
      target: ApprovalTarget;
    }): Promise<ApprovalCheck> {
      return checkApproval(deps.trust, input.request, input.target);
    },
  };
}

/** The approval activities' type, for workflow proxies. */
export type ApprovalActivities = ReturnType<typeof approvalActivities>;
