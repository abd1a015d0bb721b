import { Environment } from '@marcbachmann/cel-js';
import { boolCompiler, celErrorLine } from '../cel/bool-compiler.js';
import type { Obj } from './unstructured.js';

// Expressions see the object as `self` and, so that Flux's healthCheckExprs work unchanged, its
// top-level fields as variables of their own (`status.conditions…`, `metadata.generation`).
const TOP_LEVEL = ['apiVersion', 'kind', 'metadata', 'spec', 'status'] as const;

// Optional types let expressions guard fields a young object does not have yet:
// `status.?conditions.orValue([])`. Built once: an Environment is costly to set up.
const env = new Environment({ enableOptionalTypes: true, homogeneousAggregateLiterals: false });
env.registerVariable('self', 'dyn');
for (const name of TOP_LEVEL) env.registerVariable(name, 'dyn');

const compile = boolCompiler(env);

/** Checks a health expression's syntax, variables and result type; the error message, or undefined when valid. */
export function validateCelExpression(expr: string): string | undefined {
  const compiled = compile(expr);
  return 'error' in compiled ? compiled.error : undefined;
}

/** Turns a Kubernetes object into CEL values: JSON integers become CEL ints, as Kubernetes' own CEL does. */
export function toCelValue(value: unknown): unknown {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : value;
  // biome-ignore lint/style/noRestrictedGlobals: converting a Date the object holds never reads the clock
  if (value instanceof Date) return value.toISOString(); // typed client objects; JSON has strings
  if (Array.isArray(value)) return value.map(toCelValue);
  if (value !== null && typeof value === 'object') {
    const out: Obj = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toCelValue(v);
    return out;
  }
  return value;
}

/** Variables an expression sees for one object already passed through toCelValue. */
export function celVariables(self: Obj): Obj {
  const vars: Obj = { self };
  for (const name of TOP_LEVEL) vars[name] = self[name] ?? null;
  return vars;
}

/** Evaluates a boolean expression; `{ error }` (never a throw) on a compile or runtime error. */
export function evaluateCel(expr: string, vars: Obj): { value: boolean } | { error: string } {
  const compiled = compile(expr);
  if ('error' in compiled) return compiled;
  try {
    const value: unknown = compiled.program(vars);
    if (typeof value !== 'boolean') return { error: `returned ${typeof value}, not a bool` };
    return { value };
  } catch (e) {
    return { error: celErrorLine(e) };
  }
}
