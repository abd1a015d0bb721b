import type { KubernetesObject } from '@kubernetes/client-node';
import type { NonRetryableErrorType } from '../../core/errors.js';

/** An annotation whose value Sluice cannot act on: the sync fails naming the object. */
export class AnnotationError extends Error {
  override name = 'AnnotationError' satisfies NonRetryableErrorType;
}

/** "Kind namespace/name" of an object (`generateName*` when it has no name yet), for messages. */
export function objectName(obj: KubernetesObject): string {
  const m = obj.metadata;
  return `${obj.kind} ${m?.namespace ? `${m.namespace}/` : ''}${m?.name ?? `${m?.generateName ?? ''}*`}`;
}
