// Approval gates with identity, shared by the pipeline's approve step and a rollout's promote / resume.
// Workflow code cannot do crypto, so the update handler asks the verifyApproval activity who signed a
// token, then applies what only the workflow knows: the gate's `approvers` list and which tokens it
// has accepted already (each token once). A refusal fails the update and changes nothing.
import { ApplicationFailure } from '@temporalio/workflow';
import type {
  ApprovalActivities,
  ApprovalCheck,
  ApprovalRequest,
  ApprovalTarget,
} from '../../activities/approvals/index.js';
import { activities, approvalCheck } from '../activity-options.js';

export type { ApprovalRequest } from '../../activities/approvals/index.js';

/** Who passed a gate: `verified` only when a configured approver's signed token said so. */
export interface ApprovedBy {
  by: string;
  verified: boolean;
}

/** True when a verified approver is on a gate's list: by name, or by a `group:<name>` entry. */
export function isListedApprover(approvers: string[], name: string, groups: string[]): boolean {
  return approvers.some((a) => (a.startsWith('group:') ? groups.includes(a.slice(6)) : a === name));
}

/** A gate's `approvers` as a list of strings, or undefined when it names none (anyone may approve). */
export function approverList(value: unknown): string[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return value.map(String);
}

/** Asks who signed a request: the verifyApproval activity (tests pass a fake). */
export type VerifyApproval = (
  input: { request: ApprovalRequest; target: ApprovalTarget },
  summary: string,
) => Promise<ApprovalCheck>;

const viaActivity: VerifyApproval = (input, summary) =>
  activities<ApprovalActivities>(approvalCheck, { summary }).verifyApproval(input);

const refused = (message: string) => ApplicationFailure.nonRetryable(message, 'ApprovalRefused');

/** The approval checks of one workflow execution, and the token nonces it has accepted. */
export class ApprovalGate {
  private readonly usedNonces = new Set<string>();

  constructor(private readonly verify: VerifyApproval = viaActivity) {}

  /**
   * Update validator part (synchronous, nothing recorded when it throws): a gate that lists approvers
   * needs a signed token; `--by` alone proves nothing.
   */
  precheck(request: ApprovalRequest | undefined, approvers: string[] | undefined, what: string, how: string) {
    if (request?.token !== undefined && typeof request.token !== 'string')
      throw new Error('the approval token must be a string');
    if (approvers && !request?.token)
      throw new Error(
        `${what} may be approved only by ${approvers.join(', ')}, with a signed approval (${how} --key FILE, or SLUICE_APPROVER_KEY); --by alone proves nothing`,
      );
  }

  /**
   * Update handler part: verifies the token (activity), checks that it is new and that its approver is
   * on the list, and answers who approved; throws an ApplicationFailure (the update fails) otherwise.
   */
  async authorize(
    request: ApprovalRequest | undefined,
    target: ApprovalTarget,
    approvers: string[] | undefined,
    what: string,
  ): Promise<ApprovedBy> {
    const req = request ?? {};
    const check = await this.verify(
      { request: req, target },
      req.token ? `verify the signed approval of ${what}` : `check that ${what} may be approved unsigned`,
    );
    if (!check.ok) throw refused(`${what}: approval refused: ${check.reason}`);
    if (!check.verified) {
      if (approvers)
        throw refused(`${what} may be approved only by ${approvers.join(', ')}, with a signed approval`);
      return { by: req.by || 'anonymous', verified: false };
    }
    if (this.usedNonces.has(check.nonce))
      throw refused(`${what}: approval refused: this approval token was used already; sign a new one`);
    // Spent once verified, whatever happens next: a token seen in history cannot be played again.
    this.usedNonces.add(check.nonce);
    if (approvers && !isListedApprover(approvers, check.name, check.groups))
      throw refused(`${check.name} may not approve ${what} (approvers: ${approvers.join(', ')})`);
    return { by: check.name, verified: true };
  }
}
