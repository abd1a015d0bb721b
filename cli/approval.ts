// Signed approvals from the command line: read the approver's key file, ask Temporal for the run id of
// the workflow being approved, and sign a token bound to it (activities/approvals/token.ts).

import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { WorkflowHandle } from '@temporalio/client';
import { Option } from 'commander';
import { approverPrivateKey, MAX_TOKEN_LIFETIME_S, signApproval } from '../activities/approvals/token.js';
import type { ApprovalAction, ApprovalRequest } from '../activities/approvals/types.js';
import { CliError, ExitCode } from './errors.js';
import { durationOption } from './flags.js';

/** The line keygen writes above the PEM block, naming whose key it is. */
export const KEY_NAME_HEADER = 'Sluice-Approver:';

/** The caller's name when nothing better is known: $SLUICE_USER or the login name. */
export const me = (): string => process.env.SLUICE_USER ?? userInfo().username;

/** Options every approving command takes: --by, --key (SLUICE_APPROVER_KEY), --ttl. */
export function approvalOptions(): Option[] {
  return [
    new Option(
      '--by <name>',
      'who approves (default: the name in --key, else $SLUICE_USER or your login name)',
    ),
    new Option(
      '--key <file>',
      'your approver private key (`sluice approver keygen`): signs the approval, required where approvers are listed',
    ).env('SLUICE_APPROVER_KEY'),
    durationOption('--ttl <duration>', 'how long the signed approval is valid (at most 1h)', '5m'),
  ];
}

/** What approvalOptions() parse to. */
export interface ApprovalOpts {
  by?: string;
  key?: string;
  /** Milliseconds. */
  ttl: number;
}

/** Reads an approver key file: the Ed25519 private key and the name keygen wrote above it, if any. */
export function readApproverKey(file: string): { key: KeyObject; name?: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(
      `cannot read the approver key ${file}: ${(err as Error).message}`,
      'create one with `sluice approver keygen --name NAME`',
      ExitCode.usage,
    );
  }
  let key: KeyObject;
  try {
    key = approverPrivateKey(text);
  } catch (err) {
    throw new CliError(
      `${file} is not an Ed25519 private key in PEM: ${(err as Error).message}`,
      'create one with `sluice approver keygen --name NAME`',
      ExitCode.usage,
    );
  }
  const header = text.split('\n').find((l) => l.startsWith(KEY_NAME_HEADER));
  const name = header?.slice(KEY_NAME_HEADER.length).trim();
  return { key, ...(name ? { name } : {}) };
}

/**
 * The request an approving command sends: a token signed for the workflow's current run when a key is
 * given, else only the name (recorded unverified where the gate lists no approvers).
 */
export async function approvalRequest(
  handle: WorkflowHandle,
  act: ApprovalAction,
  step: string | undefined,
  opts: ApprovalOpts,
): Promise<ApprovalRequest> {
  if (!opts.key) return { by: opts.by ?? me() };
  const { key, name: keyName } = readApproverKey(opts.key);
  if (opts.by && keyName && opts.by !== keyName)
    throw new CliError(
      `--by ${opts.by} but ${opts.key} is ${keyName}'s key`,
      'a signed approval is recorded under the key’s name: drop --by',
      ExitCode.usage,
    );
  const name = opts.by ?? keyName ?? me();
  const ttlS = Math.ceil(opts.ttl / 1000);
  if (ttlS < 1 || ttlS > MAX_TOKEN_LIFETIME_S)
    throw new CliError('--ttl must be between 1s and 1h', undefined, ExitCode.usage);
  // The token names the run it approves, so it cannot be played against a later run of the same ID.
  const { runId } = await handle.describe();
  const target = { workflowId: handle.workflowId, runId, act, ...(step !== undefined ? { step } : {}) };
  return { by: name, token: signApproval(key, name, target, { ttlS }) };
}
