// Messages between pipeline runs and their Pipeline's run lock (`pipeline-lock/<pipeline>`).
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { ConcurrencyPolicy, LockState } from './lock-state.js';

/** Workflow ID of a Pipeline's run lock. */
export { pipelineLockId } from '../../core/workflow-ids.js';

/**
 * A run asks for the lock (sent with signal-with-start, so the lock exists from the first request). The
 * ticket numbers a run's requests, so an answer to an earlier request is never taken for the current one.
 */
export const lockAcquireSignal =
  defineSignal<[{ runId: string; policy: ConcurrencyPolicy; ticket: number }]>('pipelineLockAcquire');
/** A run is done with the lock, or stops waiting for it. */
export const lockReleaseSignal = defineSignal<[{ runId: string }]>('pipelineLockRelease');
/** The lock's answer to a run: granted, or denied because another run holds it (policy skip). */
export const lockAnswerSignal =
  defineSignal<[{ granted: boolean; ticket: number; holder?: string }]>('pipelineLockAnswer');
/** Who holds the lock and who waits. */
export const lockStateQuery = defineQuery<LockState>('pipelineLockState');
