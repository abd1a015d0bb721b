// Read-only accessors over objects as they come from the API server: either parsed JSON/YAML or the
// typed classes of @kubernetes/client-node (which hold Date objects where JSON has strings).

/** An object read as a plain tree of fields. */
export type Obj = Record<string, unknown>;

/** A status condition in the Kubernetes convention (`type`, `status`, optional reason and message). */
export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: unknown;
  lastUpdateTime?: unknown;
}

/** The value at `path`, or undefined when any step is missing or not an object. */
export function field(obj: unknown, ...path: string[]): unknown {
  let cur = obj;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Obj)[key];
  }
  return cur;
}

/** The number at `path`, or undefined. */
export function num(obj: unknown, ...path: string[]): number | undefined {
  const v = field(obj, ...path);
  return typeof v === 'number' ? v : undefined;
}

/** The string at `path`, or undefined. */
export function str(obj: unknown, ...path: string[]): string | undefined {
  const v = field(obj, ...path);
  return typeof v === 'string' ? v : undefined;
}

/** The array at `path`, or an empty array. */
export function list(obj: unknown, ...path: string[]): unknown[] {
  const v = field(obj, ...path);
  return Array.isArray(v) ? v : [];
}

/** The object's `status.conditions`, skipping entries without a type. */
export function conditions(obj: unknown): Condition[] {
  return list(obj, 'status', 'conditions').filter(
    (c): c is Condition => typeof field(c, 'type') === 'string',
  );
}

/** The condition of the given type, if the object reports one. */
export function findCondition(obj: unknown, type: string): Condition | undefined {
  return conditions(obj).find((c) => c.type === type);
}

/** `metadata.name`, for messages. */
export function nameOf(obj: unknown): string {
  return str(obj, 'metadata', 'name') ?? '';
}

/** The API group of an apiVersion: `apps/v1` → `apps`, `v1` → `` (core). A bare group is accepted too. */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  if (slash >= 0) return apiVersion.slice(0, slash);
  return /^v\d/.test(apiVersion) ? '' : apiVersion;
}

/** A timestamp (RFC 3339 string or Date) in ms since epoch, or undefined when absent or unparseable. */
export function timeOf(value: unknown): number | undefined {
  // Reading a timestamp the object carries is deterministic; only Date.now() would read the clock.
  let ms = Number.NaN;
  // biome-ignore lint/style/noRestrictedGlobals: a Date the object holds, never the clock
  if (value instanceof Date) ms = value.getTime();
  // biome-ignore lint/style/noRestrictedGlobals: parsing a string never reads the clock
  else if (typeof value === 'string') ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
