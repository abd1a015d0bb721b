// The main entries of a Pipeline (steps and parallel groups) and the onFailure steps, as a run walks them.
import type { PipelineParallelGroup, PipelineStep } from '../../schemas/types.generated.js';
import type { StepStatus } from './messages.js';

/** One main entry: a step, or a group of steps run at once. */
export type Entry = PipelineStep | PipelineParallelGroup;

/** True for a parallel group. */
export const isGroup = (e: Entry): e is PipelineParallelGroup => 'parallel' in e;

/** Every step of a run, Pending: the main ones in order (groups flattened), then the onFailure ones. */
export function initialSteps(entries: Entry[], onFailure: PipelineStep[]): StepStatus[] {
  return [
    ...entries.flatMap((e) =>
      isGroup(e)
        ? e.parallel.map((s) => ({
            name: s.name,
            uses: s.uses,
            group: e.name,
            phase: 'Pending' as const,
            attempts: 0,
          }))
        : [{ name: e.name, uses: e.uses, phase: 'Pending' as const, attempts: 0 }],
    ),
    ...onFailure.map((s) => ({
      name: s.name,
      uses: s.uses,
      group: 'onFailure',
      phase: 'Pending' as const,
      attempts: 0,
    })),
  ];
}

/** Index of the main entry holding a step (or the group of that name); -1 when there is none. */
export function entryIndex(entries: Entry[], step: string): number {
  return entries.findIndex((e) => e.name === step || (isGroup(e) && e.parallel.some((s) => s.name === step)));
}

/** Marks the steps from a main index on, and every onFailure step, Pending again for a retry. */
export function resetFrom(
  steps: StepStatus[],
  entries: Entry[],
  from: number,
  onFailure: PipelineStep[],
): void {
  const names = new Set([
    ...entries.slice(from).flatMap((e) => (isGroup(e) ? e.parallel.map((s) => s.name) : [e.name])),
    ...onFailure.map((s) => s.name),
  ]);
  for (const s of steps)
    if (names.has(s.name)) {
      s.phase = 'Pending';
      delete s.message;
      delete s.outputs;
      delete s.finishedAt;
    }
}
