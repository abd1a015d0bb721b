// How a rollout's state reads in a terminal: a block for `get`, the same block redrawn by `watch`.
import type { RolloutStatus } from '../workflows/rollout/messages.js';
import { colour, printFields, short, statusColour } from './output.js';

/** A rollout's state with the workflow that runs it. */
export type RolloutView = RolloutStatus & { workflowId: string };

/** "2/5 weight 30%" style step text. */
export function stepText(s: RolloutStatus): string {
  if (s.steps === 0) return '-';
  return `${Math.min(s.step + 1, s.steps)}/${s.steps}${s.stepName ? ` ${s.stepName}` : ''}`;
}

/** The failed check, e.g. "request-success-rate = 91.2 (min 99): below the threshold". */
export function failedText(s: RolloutStatus): string | undefined {
  const f = s.failed;
  if (!f) return undefined;
  const value = f.value !== undefined ? ` = ${f.value}` : '';
  const cond = f.condition ? ` (${f.condition})` : '';
  return `${f.name}${value}${cond}: ${f.message}`;
}

/** One metric check of the last round: "91.2 (min 99) Failed". */
export function checkText(c: NonNullable<RolloutStatus['lastChecks']>[number]): string {
  const value = c.value === undefined ? '–' : String(Number(c.value.toFixed(3)));
  return `${value}${c.condition ? ` (${c.condition})` : ''} ${statusColour(c.verdict)}`;
}

/** The lines `rollout get` and `rollout watch` print. */
export function rolloutLines(s: RolloutView): [string, string | number | undefined][] {
  return [
    ['Rollout', `${s.rollout} (${s.namespace})`],
    ['Application', s.app],
    ['Workflow', s.workflowId],
    ['Revision', short(s.revision)],
    ['Phase', statusColour(s.phase)],
    ['Step', stepText(s)],
    ['Weight', `canary ${s.canaryWeight}% / primary ${100 - s.canaryWeight}%`],
    [
      'Failed checks',
      `${s.failedChecks}/${s.threshold}${s.failedChecks > 0 ? ` ${colour('yellow', '(rolls back at the threshold)')}` : ''}`,
    ],
    ['Analysis', s.analysisRounds ? `${s.analysisRounds} round(s), last ${s.lastVerdict ?? '-'}` : undefined],
    ...(s.lastChecks ?? []).map((c): [string, string] => [`  ${c.name}`, checkText(c)]),
    ...Object.entries(s.webhooks ?? {}).map(([name, w]): [string, string] => [
      `  webhook ${name}`,
      `${w.type}: ${w.ok ? colour('green', 'ok') : colour('red', 'failed')} ${w.message}`,
    ]),
    ...(s.approvals ?? []).map((a): [string, string] => [
      `  ${a.action}d by`,
      `${a.by} ${a.verified ? colour('green', '(signed)') : colour('yellow', '(unverified)')} at ${a.at}`,
    ]),
    ['Failed', s.failed ? colour('red', failedText(s) ?? '') : undefined],
    ['Message', s.message],
  ];
}

/** Prints the block. */
export function printRollout(s: RolloutView): void {
  printFields(rolloutLines(s));
}

/** One line per change, for `watch` when stdout is not a terminal. */
export function rolloutLine(s: RolloutView): string {
  return [
    s.phase,
    `step ${stepText(s)}`,
    `weight ${s.canaryWeight}%`,
    `failed ${s.failedChecks}/${s.threshold}`,
    ...(s.lastVerdict ? [`verdict ${s.lastVerdict}`] : []),
    ...(s.lastChecks ?? []).map((c) => `${c.name} ${checkText(c)}`),
    ...(s.failed ? [`failed check ${failedText(s)}`] : []),
    s.message,
  ].join('  ');
}
