// Every workflow the worker registers. Deterministic code only: see biome.json's workflows/ rules.
export { applicationWorkflow } from './application.js';
export { pipelineLockWorkflow, pipelineTriggerWorkflow, pipelineWorkflow } from './pipeline-workflows.js';
export { repoWatcherWorkflow } from './repo-watcher.js';
export { rolloutWorkflow } from './rollout.js';
export { smokeDeployWorkflow } from './smoke.js';
export { syncWorkflow } from './sync.js';
