import type { Environment } from '@marcbachmann/cel-js';

/** A compiled boolean CEL expression, or why it does not compile. */
export type CompiledBool<P> = { program: P } | { error: string };

/** The first line of a CEL error: its summary when it has one. */
export function celErrorLine(e: unknown): string {
  const err = e as { summary?: unknown; message?: unknown };
  const text = typeof err.summary === 'string' ? err.summary : String(err.message ?? e);
  return text.split('\n')[0] ?? text;
}

// Compiled once per distinct text. Pipeline files hold few expressions, but a cap keeps a worker
// that reads many revisions from growing without bound.
const MAX_CACHED = 1000;

/**
 * A cached compiler of expressions that must evaluate to a bool (or dyn) in an environment: syntax,
 * variables and result type are checked once per text, and errors kept as one line.
 */
export function boolCompiler(env: Environment) {
  type Program = ReturnType<typeof env.parse>;
  const cache = new Map<string, CompiledBool<Program>>();
  return (expr: string): CompiledBool<Program> => {
    const hit = cache.get(expr);
    if (hit) return hit;
    let compiled: CompiledBool<Program>;
    try {
      const program = env.parse(expr);
      const checked = program.check();
      if (!checked.valid) compiled = { error: celErrorLine(checked.error) };
      else if (checked.type !== 'bool' && checked.type !== 'dyn')
        compiled = { error: `must evaluate to a bool, not ${checked.type}` };
      else compiled = { program };
    } catch (e) {
      compiled = { error: celErrorLine(e) };
    }
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
    cache.set(expr, compiled);
    return compiled;
  };
}
