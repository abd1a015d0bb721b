import type { SluiceActivities } from '../../../activities/index.js';

/** The name of one of Sluice's activities. */
export type ActivityName = keyof SluiceActivities;
/** What a workflow passes to an activity. */
export type InputOf<N extends ActivityName> = Parameters<SluiceActivities[N]>[0];
/** What an activity answers. */
export type OutputOf<N extends ActivityName> = Awaited<ReturnType<SluiceActivities[N]>>;
/** Fakes of some of Sluice's activities, each with the real activity's signature. */
export type FakeActivities = Partial<SluiceActivities>;

/** Every activity call a worker made, in the order they started. */
export class ActivityCalls {
  readonly all: { name: ActivityName; input: unknown }[] = [];

  /** The inputs of every call of one activity, oldest first. */
  of<N extends ActivityName>(name: N): InputOf<N>[] {
    return this.all.filter((c) => c.name === name).map((c) => c.input as InputOf<N>);
  }

  /** How often an activity was called. */
  count(name: ActivityName): number {
    return this.of(name).length;
  }
}

/** The same fakes, each call recorded (before it runs, so a call that throws is recorded too). */
export function recorded<F extends FakeActivities>(fakes: F, calls: ActivityCalls): F {
  const out: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const [name, fn] of Object.entries(fakes) as [ActivityName, (input: unknown) => Promise<unknown>][]) {
    out[name] = async (input: unknown) => {
      calls.all.push({ name, input });
      return fn(input);
    };
  }
  return out as F;
}

/** Answers from a script, one per call; the last one repeats. */
export function sequence<T>(...answers: T[]): () => T {
  let next = 0;
  return () => answers[Math.min(next++, answers.length - 1)] as T;
}

/** Throws `error()` on the first `times` calls, then answers `then()`: a transient fault that clears. */
export function failing<T>(times: number, error: () => Error, then: () => T | Promise<T>): () => Promise<T> {
  let calls = 0;
  return async () => {
    if (++calls <= times) throw error();
    return then();
  };
}
