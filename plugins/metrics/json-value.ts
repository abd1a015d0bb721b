// The number a web metric's jsonPath picks from a JSON answer. The path is a pipeline-file author's, so it
// is evaluated with script evaluation off (jsonpath-plus `eval: false`): a filter or script expression is
// an error, never code run on the worker. Anything but exactly one number, numeric string or boolean is an
// error, never a pass.
import { JSONPath } from 'jsonpath-plus';
import { normalizeJsonPath } from '../../core/analysis/json-path.js';
import { MetricQueryError } from './errors.js';

/** Longest piece of a found string a message (and so workflow history) carries. */
const MAX_SHOWN_CHARS = 40;

/** How found values appear in messages: `redacted` names their type and size only (the request sent secrets). */
export type Shown = 'content' | 'redacted';

/** "a string "n/a"", "an object", "null": what a path found, for a message. */
export function describeFound(value: unknown, shown: Shown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') {
    if (shown === 'redacted') return `a string of ${value.length} characters`;
    const clipped = value.length > MAX_SHOWN_CHARS ? `${value.slice(0, MAX_SHOWN_CHARS)}…` : value;
    return `the string ${JSON.stringify(clipped)}`;
  }
  return `a ${typeof value}`;
}

/** A number, a numeric string ("0.95") or a boolean (true = 1) as a number; undefined for anything else. */
export function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value.trim());
    return Number.isNaN(n) ? undefined : n;
  }
  return undefined;
}

/** The one number `path` (Argo's "{$.data.ok}" form or plain "$.data.ok") picks from `json`. */
export function valueAtPath(json: unknown, path: string, shown: Shown = 'content'): number {
  const p = normalizeJsonPath(path);
  let matches: unknown[];
  try {
    matches = JSONPath({ path: p, json: json as object, eval: false, wrap: true }) as unknown[];
  } catch (err) {
    throw new MetricQueryError(`jsonPath ${p}: ${(err as Error).message}`);
  }
  if (matches.length === 0) throw new MetricQueryError(`jsonPath ${p} matched nothing in the answer`);
  if (matches.length > 1)
    throw new MetricQueryError(
      `jsonPath ${p} matched ${matches.length} values, expected one: name a single field`,
    );
  const value = numberOf(matches[0]);
  if (value === undefined)
    throw new MetricQueryError(
      `jsonPath ${p} found ${describeFound(matches[0], shown)}, expected a number, a numeric string or a boolean`,
    );
  return value;
}
