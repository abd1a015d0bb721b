import { Environment } from '@marcbachmann/cel-js';

// successCondition sees the query's value as `result`, a double: `result >= 99`, `result < 0.5`.
// Built once: an Environment is costly to set up.
const env = new Environment({ homogeneousAggregateLiterals: false });
env.registerVariable('result', 'double');

type Program = ReturnType<typeof env.parse>;
const cache = new Map<string, { program: Program } | { error: string }>();
const MAX_CACHED = 1000;

function firstLine(e: unknown): string {
  const err = e as { summary?: unknown; message?: unknown };
  const text = typeof err.summary === 'string' ? err.summary : String(err.message ?? e);
  return text.split('\n')[0] ?? text;
}

function compile(expr: string): { program: Program } | { error: string } {
  const hit = cache.get(expr);
  if (hit) return hit;
  let compiled: { program: Program } | { error: string };
  try {
    const program = env.parse(expr);
    const checked = program.check();
    if (!checked.valid) compiled = { error: firstLine(checked.error) };
    else if (checked.type !== 'bool' && checked.type !== 'dyn')
      compiled = { error: `must evaluate to a bool, not ${checked.type}` };
    else compiled = { program };
  } catch (e) {
    compiled = { error: firstLine(e) };
  }
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
  cache.set(expr, compiled);
  return compiled;
}

/** Checks a successCondition's syntax and type; the error message, or undefined when valid. */
export function validateSuccessCondition(expr: string): string | undefined {
  const compiled = compile(expr);
  return 'error' in compiled ? compiled.error : undefined;
}

/** Evaluates a successCondition for a query result; `{ error }` (never a throw) on a compile or runtime error. */
export function evaluateSuccessCondition(
  expr: string,
  result: number,
): { value: boolean } | { error: string } {
  const compiled = compile(expr);
  if ('error' in compiled) return compiled;
  try {
    const value: unknown = compiled.program({ result });
    if (typeof value !== 'boolean') return { error: `returned ${typeof value}, not a bool` };
    return { value };
  } catch (e) {
    return { error: firstLine(e) };
  }
}
