import type { StepPlugin } from './types.js';

const APPROVER = /^(group:)?[\w.@-]+$/;

/** `approve`: waits, durably and without a timer, for `sluice pipeline approve RUN STEP`. */
export const approveStep: StepPlugin = {
  name: 'approve',
  description:
    'Waits for a person to approve (sluice pipeline approve RUN STEP); records who and when, and whether a signed approval proved it.',
  runsIn: 'workflow',
  inputs: {
    approvers: {
      type: 'array',
      description:
        'Who may approve: approver names or group:<name> from the worker config; each must sign (--key). Default: anyone, unverified.',
    },
    message: { type: 'string', description: 'What the approvers are asked.' },
  },
  outputs: {
    by: 'who approved',
    at: 'when (ISO 8601)',
    verified: 'true when the approval was signed by a configured approver',
  },
  // The list is read as written (never from an expression), so whoever starts a run cannot choose it.
  check: (inputs) => {
    const list = inputs.approvers;
    if (list === undefined) return [];
    if (!Array.isArray(list) || list.length === 0)
      return [
        {
          field: 'approvers',
          message: 'must list at least one approver (leave it out to let anyone approve)',
        },
      ];
    return list.flatMap((a, i) =>
      typeof a === 'string' && APPROVER.test(a)
        ? []
        : [
            {
              field: `approvers[${i}]`,
              message: `${JSON.stringify(a)} is not an approver name or group:<name> (letters, digits, _ . @ -; no expressions)`,
            },
          ],
    );
  },
};
