import type { KubernetesObject } from '@kubernetes/client-node';
import { groupOf } from './ref.js';

const SAME = '++++++++';
const CHANGED = '+++++++++';

/**
 * Replaces, in place, the values of a Secret's `data` and `stringData` on both sides with masks, as
 * Argo CD does: secrets must not reach workflow history, yet a changed value still shows as a
 * changed line (the masks differ exactly when the values do). Other kinds are left alone.
 */
export function maskSecretData(
  live: KubernetesObject | undefined,
  desired: KubernetesObject | undefined,
): void {
  const subject = live ?? desired;
  if (subject?.kind !== 'Secret' || groupOf(subject.apiVersion) !== '') return;
  for (const field of ['data', 'stringData']) {
    const l = (live as Record<string, Record<string, unknown> | undefined> | undefined)?.[field];
    const d = (desired as Record<string, Record<string, unknown> | undefined> | undefined)?.[field];
    for (const key of new Set([...Object.keys(l ?? {}), ...Object.keys(d ?? {})])) {
      const same = l?.[key] === d?.[key];
      if (l && key in l) l[key] = SAME;
      if (d && key in d) d[key] = same ? SAME : CHANGED;
    }
  }
}
