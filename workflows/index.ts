// Every workflow the worker registers. Deterministic code only: see biome.json's workflows/ rules.
export { applicationWorkflow } from './application.js';
export { pipelineLockWorkflow, pipelineTriggerWorkflow, pipelineWorkflow } from './pipeline-workflows.js';
export { repoWatcherWorkflow } from './repo-watcher.js';
export { rolloutWorkflow } from './rollout.js';
export { smokeDeployWorkflow } from './smoke.js';
export { syncWorkflow } from './sync.js';

import * as workflows from './index.js';
import { setVersioningBehaviors } from './versioning.js';

// PINNED or AUTO_UPGRADE per type, for workers that run as a deployment version (workflows/versioning.ts).
setVersioningBehaviors(workflows);
