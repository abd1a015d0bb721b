import { celVariables, evaluateCel, toCelValue } from './cel.js';
import type { CustomHealthCheck, HealthCode, HealthStatus } from './types.js';
import { groupOf, num, type Obj, str } from './unstructured.js';

/** The first custom check written for the object's group and kind, if any. */
export function findCustomCheck(
  obj: Obj,
  checks: CustomHealthCheck[] | undefined,
): CustomHealthCheck | undefined {
  const group = groupOf(str(obj, 'apiVersion') ?? '');
  const kind = str(obj, 'kind');
  return checks?.find((c) => c.kind === kind && groupOf(c.apiVersion) === group);
}

/**
 * Applies a custom check with Flux's semantics: an unobserved generation is Progressing without
 * evaluating anything; otherwise inProgress, failed and current are tried in that order and the first
 * that is true decides; none true is Progressing. Any CEL error is Unknown, naming the expression.
 */
export function assessCustom(obj: Obj, check: CustomHealthCheck): HealthStatus {
  const observed = num(obj, 'status', 'observedGeneration');
  const generation = num(obj, 'metadata', 'generation');
  if (observed !== undefined && generation !== undefined && observed !== generation) {
    return {
      status: 'Progressing',
      message: `Waiting for the controller to observe generation ${generation}`,
    };
  }
  const vars = celVariables(toCelValue(obj) as Obj);
  const order: [keyof CustomHealthCheck, HealthCode][] = [
    ['inProgress', 'Progressing'],
    ['failed', 'Degraded'],
    ['current', 'Healthy'],
  ];
  for (const [key, code] of order) {
    const expr = check[key];
    if (!expr) continue;
    const result = evaluateCel(expr, vars);
    if ('error' in result) {
      return {
        status: 'Unknown',
        message: `custom health check ${key} expression "${expr}": ${result.error}`,
      };
    }
    if (result.value) return { status: code, message: `custom health check: ${key} expression is true` };
  }
  return { status: 'Progressing', message: 'custom health check: no expression is true yet' };
}
