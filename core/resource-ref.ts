// How Sluice names one Kubernetes object, shared by the sync and diff activities, the workflows and the CLI.

/** Identifies one Kubernetes object. */
export interface ResourceRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** A short, human form of a reference: "apps/Deployment web/api". */
export function refString(ref: ResourceRef): string {
  const group = ref.apiVersion.includes('/') ? `${ref.apiVersion.split('/')[0]}/` : '';
  return `${group}${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/** Identity of an object across API versions of its kind: group, kind, namespace and name. */
export function refKey(ref: ResourceRef): string {
  const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : '';
  return `${group}|${ref.kind}|${ref.namespace ?? ''}|${ref.name}`;
}
