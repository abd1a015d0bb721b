// Whether anyone but Sluice wrote to a field Sluice sets, read from the live object's managedFields. A server-side
// apply records which manager owns each field; an update by someone else (kubectl edit, patch, scale, another
// controller) moves the fields it changed to its own manager. So an object whose Sluice-set fields no other manager
// owns still holds what Sluice applied, and needs no dry run to say so — while comparing values directly would
// call server-side defaulting and normalisation drift (`cpu: 1000m` is stored as `1`, an int port as a string).
import type { KubernetesObject } from '@kubernetes/client-node';
import type { IgnoreDifference } from '../../core/diff/types.js';
import { FIELD_MANAGER } from '../kube/apply.js';
import { ruleMatches } from './ignore-differences.js';
import { removeJsonPointer } from './json-pointer.js';

interface ManagedFieldsEntry {
  manager?: string;
  subresource?: string;
  fieldsV1?: unknown;
}

/**
 * The managers other than Sluice that own a field the desired object sets, ignoring status writes and the fields
 * (and managers) the ignore rules exclude. Undefined when the live object has no managedFields to decide from
 * (the caller then compares values).
 */
export function foreignFieldOwners(
  live: KubernetesObject,
  desired: KubernetesObject,
  rules: IgnoreDifference[] = [],
): string[] | undefined {
  const entries = (live.metadata as { managedFields?: ManagedFieldsEntry[] } | undefined)?.managedFields;
  if (!entries || entries.length === 0) return undefined;
  const matching = rules.filter((r) => ruleMatches(r, desired));
  const ignoredManagers = new Set(matching.flatMap((r) => r.managedFieldsManagers ?? []));
  let wanted: unknown = desired;
  if (matching.some((r) => r.jsonPointers?.length)) {
    wanted = structuredClone(desired);
    for (const r of matching) for (const p of r.jsonPointers ?? []) removeJsonPointer(wanted, p);
  }
  const owners = new Set<string>();
  for (const e of entries) {
    const manager = e.manager ?? '';
    if (manager === FIELD_MANAGER || ignoredManagers.has(manager) || e.subresource === 'status') continue;
    if (overlaps(e.fieldsV1, wanted)) owners.add(manager);
  }
  return [...owners];
}

/**
 * Whether a fieldsV1 set (`f:name` for a map key, `k:{…}`/`v:…`/`i:n` for list items, `.` for the node's existence)
 * owns any field present in `value`. List items are matched conservatively: any owned item of a list the desired
 * object sets counts (a false "maybe" costs one dry run; a missed drift would cost a wrong answer).
 */
export function overlaps(fields: unknown, value: unknown): boolean {
  if (value === undefined) return false;
  if (!fields || typeof fields !== 'object') return false;
  const keys = Object.keys(fields);
  if (keys.length === 0) return true; // a leaf: the field itself is owned
  for (const key of keys) {
    const sub = (fields as Record<string, unknown>)[key];
    // `.` owns the node's existence (a map another manager added a key to), not the fields Sluice set in it.
    if (key === '.') continue;
    if (key.startsWith('f:')) {
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        if (overlaps(sub, (value as Record<string, unknown>)[key.slice(2)])) return true;
      }
    } else if (Array.isArray(value) && value.length > 0) {
      return true;
    }
  }
  return false;
}
