import type { StepPlugin } from './types.js';

/** `rollout-wait`: waits for an Application's rollout to finish; fails when it rolled back or failed. */
export const rolloutWaitStep: StepPlugin = {
  name: 'rollout-wait',
  description: "Waits for the Application's rollout to promote; fails if it rolled back or failed.",
  runsIn: 'activity',
  activity: 'stepRolloutWait',
  defaultTimeout: '1h',
  inputs: {
    application: { type: 'string', required: true, description: 'Name of the Application.' },
    repository: {
      type: 'string',
      description:
        "Repository id of the Application (default: the Pipeline's own); another repository's Application must be in the Pipeline's Project.",
    },
    revision: {
      type: 'string',
      description: 'Wait for the rollout of this commit (default: the current one).',
    },
  },
  outputs: {
    phase: 'Succeeded or Initialized',
    revision: 'the rolled-out commit',
    workflowId: 'the rollout workflow',
  },
};
