// Every workflow the worker registers. Deterministic code only: see biome.json's workflows/ rules.
export { smokeDeployWorkflow } from './smoke.js';
