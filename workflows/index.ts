// Every workflow the worker registers. Deterministic code only: see biome.json's workflows/ rules.
// These names are the workflow types in running histories: never rename one.
export { applicationWorkflow } from './application/workflow.js';
export { imagePolicyWorkflow } from './image/workflow.js';
export { pipelineLockWorkflow } from './pipeline/lock.js';
export { pipelineWorkflow } from './pipeline/run.js';
export { pipelineTriggerWorkflow } from './pipeline/trigger.js';
export { repoWatcherWorkflow } from './repo-watcher/workflow.js';
export { rolloutWorkflow } from './rollout/workflow.js';
export { smokeDeployWorkflow } from './smoke/workflow.js';
export { syncWorkflow } from './sync/workflow.js';
