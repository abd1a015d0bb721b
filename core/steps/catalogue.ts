import { didYouMean } from '../did-you-mean.js';
import { alertStep } from './alert.js';
import { analysisStep } from './analysis.js';
import { approveStep } from './approve.js';
import { UnknownStepPluginError } from './errors.js';
import { gitUpdateStep } from './git-update.js';
import { rolloutWaitStep } from './rollout-wait.js';
import { syncStep } from './sync.js';
import type { StepInputType, StepPlugin } from './types.js';
import { waitStep } from './wait.js';
import { webhookStep } from './webhook.js';

const builtins: Record<string, StepPlugin> = Object.fromEntries(
  [syncStep, rolloutWaitStep, webhookStep, analysisStep, approveStep, waitStep, alertStep, gitUpdateStep].map(
    (p) => [p.name, p],
  ),
);

/** Names of every step plugin, sorted. */
export function stepPluginNames(): string[] {
  return Object.keys(builtins).sort();
}

/** The "unknown step plugin" message with a did-you-mean, or undefined for a known name. */
export function unknownStepMessage(name: string): string | undefined {
  if (Object.hasOwn(builtins, name)) return undefined;
  const names = stepPluginNames();
  const hint = didYouMean(name, names);
  return `unknown step plugin ${JSON.stringify(name)}${hint ? ` (${hint})` : ''}; known steps: ${names.join(', ')}`;
}

/** The step plugin of a `uses:` name, or undefined; workflow code asks here and fails the step itself. */
export function findStepPlugin(name: string): StepPlugin | undefined {
  return Object.hasOwn(builtins, name) ? builtins[name] : undefined;
}

/** The step plugin of a `uses:` name; an unknown name is an UnknownStepPluginError, never a fallback. */
export function stepPlugin(name: string): StepPlugin {
  const message = unknownStepMessage(name);
  if (message) throw new UnknownStepPluginError(message);
  return builtins[name] as StepPlugin;
}

const DURATION = /^(\d+(\.\d+)?(ms|s|m|h|d))+$/;

function typeProblem(type: StepInputType, v: unknown): string | undefined {
  // A value computed by an expression is checked when the run resolves it.
  if (typeof v === 'string' && v.includes('${{')) return undefined;
  const ok =
    type === 'any' ||
    (type === 'array' ? Array.isArray(v) : false) ||
    (type === 'object' ? v !== null && typeof v === 'object' && !Array.isArray(v) : false) ||
    (type === 'duration' ? typeof v === 'string' && DURATION.test(v) : false) ||
    ((type === 'string' || type === 'number' || type === 'boolean') && typeof v === type);
  if (ok) return undefined;
  return type === 'duration' ? 'must be a duration such as "30s" or "1h30m"' : `must be a ${type}`;
}

/** Problems with a step's `with` for its plugin: missing required inputs, unknown ones (with a hint), wrong types. */
export function checkStepInputs(
  plugin: StepPlugin,
  inputs: Record<string, unknown>,
): { field: string; message: string; hint?: string }[] {
  const issues: { field: string; message: string; hint?: string }[] = [];
  const names = Object.keys(plugin.inputs);
  for (const [name, spec] of Object.entries(plugin.inputs))
    if (spec.required && inputs[name] === undefined)
      issues.push({ field: name, message: `the ${plugin.name} step needs "${name}": ${spec.description}` });
  for (const [name, v] of Object.entries(inputs)) {
    const spec = plugin.inputs[name];
    if (!spec) {
      const hint = didYouMean(name, names);
      issues.push({
        field: name,
        message: `the ${plugin.name} step has no input "${name}" (inputs: ${names.join(', ') || 'none'})`,
        ...(hint ? { hint } : {}),
      });
      continue;
    }
    const problem = typeProblem(spec.type, v);
    if (problem) issues.push({ field: name, message: problem });
  }
  if (issues.length === 0 && plugin.check) issues.push(...plugin.check(inputs));
  return issues;
}
