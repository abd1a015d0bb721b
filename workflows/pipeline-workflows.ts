// The Pipeline workflows the worker registers (workflows/index.ts re-exports them in one line).
export { pipelineWorkflow } from './pipeline.js';
export { pipelineLockWorkflow } from './pipeline-lock.js';
export { pipelineTriggerWorkflow } from './pipeline-trigger.js';
