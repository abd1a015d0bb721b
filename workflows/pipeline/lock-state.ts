// The decisions of a Pipeline's run lock, as a pure function of its state and one request, so the
// lock workflow stays a thin loop and the policy is testable without a server.

/** What a run asks for when it wants to start (the Pipeline's `concurrency`). */
export type ConcurrencyPolicy = 'queue' | 'skip' | 'cancel-older';

/** One message to the lock: a run wants the lock, or is done with it (or with waiting for it). */
export type LockEvent =
  | { kind: 'acquire'; runId: string; policy: ConcurrencyPolicy }
  | { kind: 'release'; runId: string };

/** Who holds the lock and who waits, in arrival order. */
export interface LockState {
  holder?: string;
  queue: string[];
}

/** What the lock workflow must do after an event: answer runs, and cancel superseded ones. */
export interface LockEffects {
  granted: string[];
  denied: { runId: string; holder: string }[];
  cancel: string[];
}

/** Applies one event to the lock (mutating state) and answers the effects, grants last. */
export function applyLockEvent(state: LockState, event: LockEvent): LockEffects {
  const effects: LockEffects = { granted: [], denied: [], cancel: [] };
  if (event.kind === 'release') {
    if (state.holder === event.runId) state.holder = undefined;
    state.queue = state.queue.filter((id) => id !== event.runId);
  } else if (state.holder === event.runId) {
    // A retried request (the activity that sent it ran twice): answer it again.
    effects.granted.push(event.runId);
  } else if (!state.queue.includes(event.runId)) {
    const busy = state.holder ?? state.queue[0];
    if (event.policy === 'skip' && busy !== undefined) {
      effects.denied.push({ runId: event.runId, holder: busy });
    } else {
      if (event.policy === 'cancel-older') {
        // Everything before this run is superseded; the holder keeps the lock until it has stopped.
        effects.cancel.push(...(state.holder ? [state.holder] : []), ...state.queue);
        state.queue = [];
      }
      state.queue.push(event.runId);
    }
  }
  if (state.holder === undefined && state.queue.length > 0) {
    state.holder = state.queue.shift() as string;
    effects.granted.push(state.holder);
  }
  return effects;
}
