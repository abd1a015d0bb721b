import { isDeepStrictEqual } from 'node:util';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { IgnoreDifference, ResourceDiff } from '../../core/diff/types.js';
import { refString } from '../../core/resource-ref.js';
import { applyIgnoreDifferences } from './ignore-differences.js';
import { maskSecretData } from './mask-secrets.js';
import { normalize } from './normalize.js';
import { refOf } from './ref.js';
import { type DiffFormatOptions, unifiedDiff } from './unified-diff.js';

/**
 * Compares one object's live state with what applying `desired` would make of it. `predicted` is the
 * server-side dry-run apply of `desired`, so fields the server defaults never show as differences;
 * without it (the dry run could not run) `desired` itself is compared. Both sides are normalized and
 * the matching ignore rules applied first; Secret values are masked in the diff.
 */
export function diffResource(
  desired: KubernetesObject,
  predicted: KubernetesObject | undefined,
  live: KubernetesObject | undefined,
  rules: IgnoreDifference[],
  opts: DiffFormatOptions = {},
): ResourceDiff {
  const name = refString(refOf(desired));
  if (!live) {
    // The manifest as written reads better than its defaulted form for an object still to create.
    const target = normalize(desired);
    applyIgnoreDifferences(rules, undefined, [target]);
    maskSecretData(undefined, target);
    return { status: 'Missing', diff: unifiedDiff(name, undefined, target, opts) };
  }
  const current = normalize(live);
  const target = normalize(predicted ?? desired);
  applyIgnoreDifferences(rules, live, [current, target]);
  if (isDeepStrictEqual(current, target)) return { status: 'Synced', diff: '' };
  maskSecretData(current, target);
  return { status: 'OutOfSync', diff: unifiedDiff(name, current, target, opts) };
}
