// The `${{ … }}` expressions of Pipeline files: a small, pure, deterministic language (no eval).
//
//   value     ${{ trigger.revision }}   ${{ steps.test.outputs.url }}   ${{ run.id }}
//   literals  'text'  "text"  42  true  false  null
//   operators == != && || !  and parentheses
//
// A `with` string that is exactly one `${{ e }}` takes e's value as it is (a number stays a number);
// inside other text each expression is turned into a string. `if` holds a bare expression (or one
// `${{ e }}`) and runs the step when it is truthy. Roots: trigger, steps, run, pipeline.

/** Every root an expression may start from. */
export const expressionRoots = ['trigger', 'steps', 'run', 'pipeline'] as const;

/** A parsed expression. */
export type Expr =
  | { kind: 'literal'; value: unknown }
  | { kind: 'path'; path: string[]; offset: number }
  | { kind: 'not'; operand: Expr }
  | { kind: 'binary'; op: '==' | '!=' | '&&' | '||'; left: Expr; right: Expr };

/** A syntax or evaluation problem; `offset` is the character in the expression text, when known. */
export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly offset?: number,
  ) {
    super(message);
    this.name = 'ExpressionError';
  }
}

type Token = { t: 'op' | 'str' | 'num' | 'ident' | 'word'; v: string; at: number };

const OPS = ['==', '!=', '&&', '||', '!', '(', ')', '.', '[', ']'];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (op) {
      tokens.push({ t: 'op', v: op, at: i });
      i += op.length;
      continue;
    }
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) throw new ExpressionError(`unterminated string starting at character ${i + 1}`, i);
      tokens.push({ t: 'str', v: text.slice(i + 1, end), at: i });
      i = end + 1;
      continue;
    }
    const num = /^-?\d+(\.\d+)?/.exec(text.slice(i));
    if (num) {
      tokens.push({ t: 'num', v: num[0], at: i });
      i += num[0].length;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(i));
    if (ident) {
      const v = ident[0];
      tokens.push({ t: ['true', 'false', 'null'].includes(v) ? 'word' : 'ident', v, at: i });
      i += v.length;
      continue;
    }
    throw new ExpressionError(`unexpected character ${JSON.stringify(c)} at character ${i + 1}`, i);
  }
  return tokens;
}

/** Parses one expression (without the `${{ }}`); throws ExpressionError on bad syntax. */
export function parseExpression(text: string): Expr {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const isOp = (v: string) => peek()?.t === 'op' && peek()?.v === v;
  const fail = (what: string): never => {
    const tok = peek();
    throw new ExpressionError(
      tok ? `expected ${what} at character ${tok.at + 1}, found "${tok.v}"` : `expected ${what} at the end`,
      tok?.at ?? text.length,
    );
  };

  const primary = (): Expr => {
    const tok = peek();
    if (!tok) return fail('a value');
    if (isOp('(')) {
      pos++;
      const e = or();
      if (!isOp(')')) fail('")"');
      pos++;
      return e;
    }
    if (isOp('!')) {
      pos++;
      return { kind: 'not', operand: primary() };
    }
    pos++;
    if (tok.t === 'str') return { kind: 'literal', value: tok.v };
    if (tok.t === 'num') return { kind: 'literal', value: Number(tok.v) };
    if (tok.t === 'word') return { kind: 'literal', value: tok.v === 'null' ? null : tok.v === 'true' };
    if (tok.t !== 'ident') {
      pos--;
      return fail('a value');
    }
    const path = [tok.v];
    for (;;) {
      if (isOp('.')) {
        pos++;
        const next = peek();
        if (!next || (next.t !== 'ident' && next.t !== 'word' && next.t !== 'num')) fail('a name after "."');
        path.push((next as Token).v);
        pos++;
      } else if (isOp('[')) {
        pos++;
        const next = peek();
        if (!next || (next.t !== 'str' && next.t !== 'num')) fail('a quoted name or an index inside "[ ]"');
        path.push((next as Token).v);
        pos++;
        if (!isOp(']')) fail('"]"');
        pos++;
      } else break;
    }
    return { kind: 'path', path, offset: tok.at };
  };
  const equality = (): Expr => {
    let left = primary();
    while (isOp('==') || isOp('!=')) {
      const op = (tokens[pos++] as Token).v as '==' | '!=';
      left = { kind: 'binary', op, left, right: primary() };
    }
    return left;
  };
  const and = (): Expr => {
    let left = equality();
    while (isOp('&&')) {
      pos++;
      left = { kind: 'binary', op: '&&', left, right: equality() };
    }
    return left;
  };
  const or = (): Expr => {
    let left = and();
    while (isOp('||')) {
      pos++;
      left = { kind: 'binary', op: '||', left, right: and() };
    }
    return left;
  };

  if (tokens.length === 0) throw new ExpressionError('empty expression', 0);
  const e = or();
  if (pos < tokens.length) fail('an operator or the end');
  return e;
}

/** Every path an expression reads, in order (e.g. ["steps", "test", "outputs", "url"]). */
export function referencesOf(e: Expr): { path: string[]; offset: number }[] {
  switch (e.kind) {
    case 'literal':
      return [];
    case 'path':
      return [{ path: e.path, offset: e.offset }];
    case 'not':
      return referencesOf(e.operand);
    case 'binary':
      return [...referencesOf(e.left), ...referencesOf(e.right)];
  }
}

/** What expressions read: the trigger, earlier steps' outcomes and outputs, the run and the pipeline. */
export interface ExpressionContext {
  trigger: Record<string, unknown>;
  steps: Record<string, { outcome?: string; outputs?: Record<string, unknown> }>;
  run: Record<string, unknown>;
  pipeline: Record<string, unknown>;
}

function lookup(ctx: ExpressionContext, path: string[]): unknown {
  let v: unknown = ctx;
  for (const key of path) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, key)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** Truthiness: false, null, undefined, 0 and "" are false. */
export const truthy = (v: unknown): boolean =>
  v !== false && v !== null && v !== undefined && v !== 0 && v !== '';

/** Evaluates a parsed expression; a missing value is undefined (compares unequal to everything but null). */
export function evaluate(e: Expr, ctx: ExpressionContext): unknown {
  switch (e.kind) {
    case 'literal':
      return e.value;
    case 'path':
      return lookup(ctx, e.path);
    case 'not':
      return !truthy(evaluate(e.operand, ctx));
    case 'binary': {
      if (e.op === '&&') return truthy(evaluate(e.left, ctx)) && truthy(evaluate(e.right, ctx));
      if (e.op === '||') {
        const l = evaluate(e.left, ctx);
        return truthy(l) ? l : evaluate(e.right, ctx);
      }
      const same = looseEqual(evaluate(e.left, ctx), evaluate(e.right, ctx));
      return e.op === '==' ? same : !same;
    }
  }
}

function looseEqual(a: unknown, b: unknown): boolean {
  if ((a === undefined || a === null) && (b === undefined || b === null)) return true;
  if (typeof a === 'number' && typeof b === 'string') return String(a) === b;
  if (typeof a === 'string' && typeof b === 'number') return a === String(b);
  return a === b;
}

const TEMPLATE = /\$\{\{([\s\S]*?)\}\}/g;

/** The expressions inside a string's `${{ }}` markers, with their character offsets in the string. */
export function templateExpressions(text: string): { source: string; offset: number }[] {
  return [...text.matchAll(TEMPLATE)].map((m) => ({
    source: m[1] as string,
    offset: (m.index ?? 0) + 3,
  }));
}

/** The expression of an `if`: the bare text, or the inside of a string that is exactly one `${{ }}`. */
export function conditionSource(text: string): string {
  const m = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(text);
  return m ? (m[1] as string) : text;
}

/** Evaluates an `if` condition to true or false. */
export function evaluateCondition(text: string, ctx: ExpressionContext): boolean {
  return truthy(evaluate(parseExpression(conditionSource(text)), ctx));
}

function stringify(v: unknown, source: string): string {
  if (v === undefined) throw new ExpressionError(`\${{${source}}} has no value in this run`);
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Replaces every `${{ e }}` in a string; a string that is exactly one expression takes its value's type. */
export function interpolateString(text: string, ctx: ExpressionContext): unknown {
  const whole = /^\$\{\{([\s\S]*?)\}\}$/.exec(text);
  if (whole && templateExpressions(text).length === 1) {
    const v = evaluate(parseExpression(whole[1] as string), ctx);
    if (v === undefined) throw new ExpressionError(`${text} has no value in this run`);
    return v;
  }
  return text.replace(TEMPLATE, (_m, source: string) =>
    stringify(evaluate(parseExpression(source), ctx), source),
  );
}

/** Interpolates every string inside a value (objects and arrays walked), leaving other values as they are. */
export function interpolate(value: unknown, ctx: ExpressionContext): unknown {
  if (typeof value === 'string') return interpolateString(value, ctx);
  if (Array.isArray(value)) return value.map((v) => interpolate(v, ctx));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, ctx)]));
  return value;
}
