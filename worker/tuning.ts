// The Temporal worker's capacity knobs (`tuning` in the worker config): task slots, pollers and the workflow
// cache. Absent knobs keep the SDK's defaults; docs/sizing.md says what to set them to for a given load.
import type { CompiledWorkerOptions, WorkerOptions } from '@temporalio/worker';

type PollerBehavior = NonNullable<WorkerOptions['activityTaskPollerBehavior']>;

/** How many polls a task queue keeps open: a fixed maximum, or Temporal's autoscaling between bounds. */
export type PollerConfig = number | { autoscaling: { minimum?: number; initial?: number; maximum?: number } };

/** The `tuning` block; each knob absent = the SDK default (described in workerTuningSchema). */
export interface WorkerTuning {
  maxConcurrentActivityTaskExecutions?: number;
  maxConcurrentWorkflowTaskExecutions?: number;
  maxCachedWorkflows?: number;
  workflowTaskPollers?: PollerConfig;
  workflowThreadPoolSize?: number;
  activityTaskPollers?: PollerConfig;
}

const count = { type: 'integer', minimum: 1, maximum: 100_000 };
const pollers = {
  oneOf: [
    { type: 'integer', minimum: 1, maximum: 1000 },
    {
      type: 'object',
      additionalProperties: false,
      required: ['autoscaling'],
      properties: {
        autoscaling: {
          description: "Temporal's poller autoscaling between bounds.",
          type: 'object',
          additionalProperties: false,
          properties: {
            minimum: { type: 'integer', minimum: 1, description: 'Fewest polls.' },
            initial: { type: 'integer', minimum: 1, description: 'Polls at start.' },
            maximum: { type: 'integer', minimum: 1, description: 'Most polls.' },
          },
        },
      },
    },
  ],
};

/** JSON Schema of the `tuning` block (types and ranges; the relations between knobs are in tuningProblems). */
export const workerTuningSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    maxConcurrentActivityTaskExecutions: {
      ...count,
      description: 'Activities run at once by each Temporal worker of the process (SDK default 100).',
    },
    maxConcurrentWorkflowTaskExecutions: {
      ...count,
      description: 'Workflow tasks run at once by the workflow worker (SDK default 40).',
    },
    maxCachedWorkflows: {
      type: 'integer',
      minimum: 0,
      maximum: 1_000_000,
      description:
        'Workflows kept in memory between tasks (SDK default from the heap limit: max(⌊(heap MiB − 200) × 600 / 1024⌋, 10)).',
    },
    workflowThreadPoolSize: {
      type: 'integer',
      minimum: 1,
      maximum: 64,
      description:
        'Threads that run workflow code (SDK default 1; each a V8 isolate holding its share of the cached workflows).',
    },
    workflowTaskPollers: {
      ...pollers,
      description:
        'Workflow task polls: a number, or {autoscaling} (SDK default min(10, maxConcurrentWorkflowTaskExecutions)).',
    },
    activityTaskPollers: {
      ...pollers,
      description:
        'Activity task polls per task queue: a number, or {autoscaling} (SDK default min(10, maxConcurrentActivityTaskExecutions)).',
    },
  },
} as const;

/** The SDK's defaults where the config names none, for checks that relate two knobs. */
const SDK_ACTIVITY_SLOTS = 100;
const SDK_WORKFLOW_SLOTS = 40;

/**
 * What is wrong with a schema-valid `tuning` block, one sentence each. The SDK would silently clamp most of
 * these (with a log line nobody reads), so the worker refuses them instead.
 */
export function tuningProblems(t: WorkerTuning): string[] {
  const problems: string[] = [];
  const wfSlots = t.maxConcurrentWorkflowTaskExecutions ?? SDK_WORKFLOW_SLOTS;
  const actSlots = t.maxConcurrentActivityTaskExecutions ?? SDK_ACTIVITY_SLOTS;
  const cache = t.maxCachedWorkflows;
  if (cache === 1) problems.push('maxCachedWorkflows is 1: use 0 (no cache) or 2 or more');
  if (cache !== 0 && t.maxConcurrentWorkflowTaskExecutions === 1)
    problems.push(
      'maxConcurrentWorkflowTaskExecutions is 1: it must be 2 or more while workflows are cached',
    );
  if (cache !== undefined && cache > 1 && wfSlots > cache)
    problems.push(
      `maxConcurrentWorkflowTaskExecutions (${wfSlots}) is more than maxCachedWorkflows (${cache}): every running workflow task needs its workflow in the cache`,
    );
  problems.push(...pollerProblems('workflowTaskPollers', t.workflowTaskPollers, wfSlots, 2));
  problems.push(...pollerProblems('activityTaskPollers', t.activityTaskPollers, actSlots, 1));
  return problems;
}

function pollerProblems(name: string, p: PollerConfig | undefined, slots: number, least: number): string[] {
  if (p === undefined) return [];
  // A poll holds a slot while it waits, so more polls than slots would never all be open.
  if (typeof p === 'number')
    return [
      ...(p < least ? [`${name} is ${p}: it must be ${least} or more (one sticky and one normal poll)`] : []),
      ...(p > slots ? [`${name} (${p}) is more than the ${slots} task slots it polls for`] : []),
    ];
  const { minimum = 1, initial = 5, maximum = 100 } = p.autoscaling;
  if (minimum > maximum) return [`${name}.autoscaling: minimum (${minimum}) is above maximum (${maximum})`];
  if (initial < minimum || initial > maximum)
    return [
      `${name}.autoscaling: initial (${initial}) is not between minimum (${minimum}) and maximum (${maximum})`,
    ];
  return [];
}

function pollerBehavior(p: PollerConfig): PollerBehavior {
  return typeof p === 'number'
    ? { type: 'simple-maximum', maximum: p }
    : { type: 'autoscaling', ...p.autoscaling };
}

/**
 * The Temporal WorkerOptions of a tuning block: activity knobs for every worker, workflow knobs too when the worker
 * runs workflows. Pollers go through the SDK 1.24 `*TaskPollerBehavior` options: its `maxConcurrent*TaskPolls` are
 * accepted by the typings but no longer read.
 */
export function tuningOptions(t: WorkerTuning, runsWorkflows: boolean): Partial<WorkerOptions> {
  return {
    ...(t.maxConcurrentActivityTaskExecutions !== undefined
      ? { maxConcurrentActivityTaskExecutions: t.maxConcurrentActivityTaskExecutions }
      : {}),
    ...(t.activityTaskPollers !== undefined
      ? { activityTaskPollerBehavior: pollerBehavior(t.activityTaskPollers) }
      : {}),
    ...(runsWorkflows && t.maxConcurrentWorkflowTaskExecutions !== undefined
      ? { maxConcurrentWorkflowTaskExecutions: t.maxConcurrentWorkflowTaskExecutions }
      : {}),
    ...(runsWorkflows && t.maxCachedWorkflows !== undefined
      ? { maxCachedWorkflows: t.maxCachedWorkflows }
      : {}),
    ...(runsWorkflows && t.workflowThreadPoolSize !== undefined
      ? { workflowThreadPoolSize: t.workflowThreadPoolSize }
      : {}),
    ...(runsWorkflows && t.workflowTaskPollers !== undefined
      ? { workflowTaskPollerBehavior: pollerBehavior(t.workflowTaskPollers) }
      : {}),
  };
}

/** What a created worker actually runs with (the SDK's defaults filled in), for the start-up log line. */
export function effectiveTuning(o: CompiledWorkerOptions, runsWorkflows: boolean): Record<string, unknown> {
  const slots = (s: { type: string; numSlots?: number }) => (s.type === 'fixed-size' ? s.numSlots : s.type);
  const polls = (b: CompiledWorkerOptions['activityTaskPollerBehavior']) =>
    b.type === 'simple-maximum'
      ? b.maximum
      : { autoscaling: { minimum: b.minimum, initial: b.initial, maximum: b.maximum } };
  return {
    identity: o.identity,
    maxConcurrentActivityTaskExecutions: slots(o.tuner.activityTaskSlotSupplier),
    activityTaskPollers: polls(o.activityTaskPollerBehavior),
    ...(runsWorkflows
      ? {
          maxConcurrentWorkflowTaskExecutions: slots(o.tuner.workflowTaskSlotSupplier),
          maxCachedWorkflows: o.maxCachedWorkflows,
          workflowThreadPoolSize: o.workflowThreadPoolSize,
          workflowTaskPollers: polls(o.workflowTaskPollerBehavior),
        }
      : {}),
  };
}
