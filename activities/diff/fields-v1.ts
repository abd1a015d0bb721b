import { isDeepStrictEqual } from 'node:util';
import type { KubernetesObject } from '@kubernetes/client-node';

/** One step of a managed-fields path: a map field, a list item by key fields, a set item by value, or a list index. */
export type PathElement =
  | { field: string }
  | { key: Record<string, unknown> }
  | { value: unknown }
  | { index: number };

/** Owned fields as a tree: `self` when the node itself is owned (a leaf, or a `.` marker), children below it. */
export interface FieldSet {
  self: boolean;
  children: { element: PathElement; set: FieldSet }[];
}

/** Parses one `f:`/`k:`/`v:`/`i:` key of a fieldsV1 object, or throws on an unknown prefix. */
export function parsePathElement(raw: string): PathElement {
  const body = raw.slice(2);
  switch (raw.slice(0, 2)) {
    case 'f:':
      return { field: body };
    case 'k:':
      return { key: JSON.parse(body) as Record<string, unknown> };
    case 'v:':
      return { value: JSON.parse(body) as unknown };
    case 'i:':
      return { index: Number(body) };
    default:
      throw new Error(`unknown managedFields path element "${raw}"`);
  }
}

/**
 * Parses a managedFields `fieldsV1` object (as structured-merge-diff writes it) into a FieldSet. An
 * empty object marks a leaf the manager owns; a `.` key marks a node owned in itself (a list item
 * or map it created) besides the children listed beside it.
 */
export function parseFieldsV1(raw: unknown): FieldSet {
  const entries = raw && typeof raw === 'object' ? Object.entries(raw) : [];
  const children = entries
    .filter(([k]) => k !== '.')
    .map(([k, v]) => ({ element: parsePathElement(k), set: parseFieldsV1(v) }));
  return { self: entries.length === 0 || entries.some(([k]) => k === '.'), children };
}

/** Every owned path in a FieldSet, root first (the root itself is not a path). */
export function fieldPaths(set: FieldSet, prefix: PathElement[] = []): PathElement[][] {
  return set.children.flatMap(({ element, set: child }) => {
    const path = [...prefix, element];
    return child.self ? [path, ...fieldPaths(child, path)] : fieldPaths(child, path);
  });
}

/** A path as structured-merge-diff prints it: `.spec.containers[name="app"].image`, `[="v"]`, `[0]`. */
export function pathString(path: PathElement[]): string {
  return path
    .map((e) => {
      if ('field' in e) return `.${e.field}`;
      if ('index' in e) return `[${e.index}]`;
      if ('value' in e) return `[=${JSON.stringify(e.value)}]`;
      const keys = Object.entries(e.key).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
      return `[${keys.join(',')}]`;
    })
    .join('');
}

/** The fields owned, in the object's managedFields, by any of the managers (merged into one set). */
export function managedFieldSet(obj: KubernetesObject, managers: string[]): FieldSet {
  const owned = (obj.metadata?.managedFields ?? []).filter((e) => managers.includes(e.manager ?? ''));
  return parseFieldsV1(owned.reduce<unknown>((acc, e) => mergeRaw(acc, e.fieldsV1), {}));
}

function mergeRaw(a: unknown, b: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
  for (const [k, v] of Object.entries((b ?? {}) as Record<string, unknown>)) out[k] = mergeRaw(out[k], v);
  return out;
}

/**
 * Removes every field of `set` from `node` in place; true when that left `node` empty. Owned leaves
 * and owned list items go whole; other nodes lose their owned children and then go if nothing is
 * left, so `{}` on one side does not differ from nothing on the other. (structured-merge-diff would
 * drop a `.`-owned map with all its children, even ones other managers own; that hides too much.)
 */
export function removeFieldSet(node: unknown, set: FieldSet): boolean {
  const removed = Array.isArray(node) ? removeItems(node, set) : removeFields(node, set);
  return removed && isEmpty(node);
}

function removeFields(node: unknown, set: FieldSet): boolean {
  if (!node || typeof node !== 'object') return false;
  const obj = node as Record<string, unknown>;
  let removed = false;
  for (const { element, set: child } of set.children) {
    if (!('field' in element) || !Object.hasOwn(obj, element.field)) continue;
    const leaf = child.self && child.children.length === 0;
    if (leaf || removeFieldSet(obj[element.field], child)) {
      delete obj[element.field];
      removed = true;
    }
  }
  return removed;
}

function removeItems(list: unknown[], set: FieldSet): boolean {
  let removed = false;
  // Backwards, so splicing an item leaves the indices `i:` elements name for earlier items intact.
  for (let i = list.length - 1; i >= 0; i--) {
    const owned = set.children.filter(({ element }) => matches(element, list[i], i)).map((c) => c.set);
    // An owned item goes whole; otherwise it loses its owned fields, and goes if that emptied it.
    if (owned.some((s) => s.self) || owned.some((s) => removeFieldSet(list[i], s))) {
      list.splice(i, 1);
      removed = true;
    }
  }
  return removed;
}

function matches(element: PathElement, item: unknown, index: number): boolean {
  if ('index' in element) return element.index === index;
  if ('value' in element) return isDeepStrictEqual(element.value, item);
  if ('key' in element) {
    if (!item || typeof item !== 'object') return false;
    const obj = item as Record<string, unknown>;
    return Object.entries(element.key).every(([k, v]) => isDeepStrictEqual(obj[k], v));
  }
  return false;
}

function isEmpty(node: unknown): boolean {
  if (Array.isArray(node)) return node.length === 0;
  return !!node && typeof node === 'object' && Object.keys(node).length === 0;
}
