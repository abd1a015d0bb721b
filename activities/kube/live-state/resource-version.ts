import type { KubernetesObject } from '@kubernetes/client-node';

/**
 * Whether `next` is a newer state of an object than `current`. Kubernetes says resourceVersions are opaque, but
 * every API server backed by etcd hands out increasing integers; compared as integers when both parse, else a
 * different version counts as newer (the server's word wins).
 */
export function isNewer(next: KubernetesObject, current: KubernetesObject | undefined): boolean {
  const a = next.metadata?.resourceVersion;
  const b = current?.metadata?.resourceVersion;
  if (!current || a === undefined || b === undefined) return true;
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return BigInt(a) > BigInt(b);
  return a !== b;
}
