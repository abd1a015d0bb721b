import { Environment } from '@marcbachmann/cel-js';
import { boolCompiler, celErrorLine } from '../cel/bool-compiler.js';

// successCondition sees the query's value as `result`, a double: `result >= 99`, `result < 0.5`.
// Built once: an Environment is costly to set up.
const env = new Environment({ homogeneousAggregateLiterals: false });
env.registerVariable('result', 'double');

const compile = boolCompiler(env);

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
    return { error: celErrorLine(e) };
  }
}
