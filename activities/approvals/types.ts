// Types the approval gates share between the CLI (which signs), the verifying activity and workflow
// code (type-only imports: safe in workflows).

/** What a signed approval may approve: a Pipeline approve step, or a rollout's promote or resume. */
export type ApprovalAction = 'approve' | 'promote' | 'resume';

/** The claims a token binds, signed with the approver's Ed25519 key. */
export interface ApprovalClaims {
  /** Format version. */
  v: 1;
  /** The approver's name, as the worker config lists it. */
  sub: string;
  /** Workflow ID of the run or rollout. */
  wf: string;
  /** Temporal run id of that workflow execution. */
  run: string;
  act: ApprovalAction;
  /** The approve step (Pipeline approvals only). */
  step?: string;
  /** Issued at and expires at, seconds since the epoch. */
  iat: number;
  exp: number;
  /** Random, so each token can be used once. */
  nonce: string;
}

/** What the workflow expects a token to be for (taken from its own workflowInfo, never from the caller). */
export interface ApprovalTarget {
  workflowId: string;
  runId: string;
  act: ApprovalAction;
  step?: string;
}

/** What an approve / promote / resume request carries besides its own fields. */
export interface ApprovalRequest {
  /** Who approves, as the caller says (unproven unless a token backs it). */
  by?: string;
  /** A signed approval token (`sluice pipeline approve … --key FILE`). */
  token?: string;
}

/** The verifying activity's answer: a verified approver, an unsigned (advisory) one, or why not. */
export type ApprovalCheck =
  | { ok: true; verified: true; name: string; groups: string[]; nonce: string }
  | { ok: true; verified: false }
  | { ok: false; reason: string };
