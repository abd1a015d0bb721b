import type { StepPlugin } from './types.js';

/** `sync`: syncs an Application to a revision through its workflow's `sync` update, then waits for Healthy. */
export const syncStep: StepPlugin = {
  name: 'sync',
  description: 'Syncs an Application to a revision and waits until it is Healthy at that revision.',
  runsIn: 'activity',
  activity: 'stepSync',
  defaultTimeout: '15m',
  inputs: {
    application: { type: 'string', required: true, description: 'Name of the Application.' },
    repository: {
      type: 'string',
      description:
        "Repository id of the Application (default: the Pipeline's own); another repository's Application must be in the Pipeline's Project.",
    },
    revision: { type: 'string', description: 'Full commit SHA; default: the newest commit of its source.' },
    prune: { type: 'boolean', description: 'Delete objects no longer in Git (default: the app policy).' },
  },
  outputs: {
    revision: 'the synced commit SHA',
    health: 'the health after the sync',
    syncId: 'the id of the sync in the application history',
  },
};
