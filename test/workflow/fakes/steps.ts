import { requestPipelineLock, runningPipelineRuns } from '../../../activities/steps/runs.js';
import { ActivityCalls, type FakeActivities, type InputOf, type OutputOf, recorded } from './recorder.js';

/**
 * Fakes of the pipeline step activities, typed against the real ones and recording every call. The run
 * lock is Sluice's own Temporal plumbing (signal-with-start of the lock workflow), so it stays real.
 */
export function stepFakes(script: {
  webhook: (call: InputOf<'stepWebhook'>) => Promise<OutputOf<'stepWebhook'>>;
}) {
  const calls = new ActivityCalls();
  const fakes = {
    requestPipelineLock,
    runningPipelineRuns,
    stepWebhook: script.webhook,
    async emitEvent() {},
  } satisfies FakeActivities;
  return { activities: recorded(fakes, calls), calls };
}
