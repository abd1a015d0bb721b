// An Argo Rollout with an inline pod template is a Deployment in all but name: Sluice applies that
// Deployment (same name, template, replicas and selector) and its converted Rollout drives the release.
// Shared by the converter (what `sluice convert` writes) and the render step (what a sync applies), so
// both make the same Deployment.

/** The apiVersion of Argo Rollouts objects. */
export const argoRolloutsApiVersion = 'argoproj.io/v1alpha1';

/** True for an Argo Rollouts Rollout object. */
export function isArgoRollout(o: { apiVersion?: unknown; kind?: unknown }): boolean {
  return o.apiVersion === argoRolloutsApiVersion && o.kind === 'Rollout';
}

/** Deployment fields taken over unchanged from an Argo Rollout's spec. */
export const carriedSpecFields = [
  'replicas',
  'selector',
  'template',
  'minReadySeconds',
  'revisionHistoryLimit',
] as const;

/** The Deployment an Argo Rollout with spec.template stands for, or undefined without a template. */
export function argoRolloutDeployment(rollout: Record<string, unknown>): Record<string, unknown> | undefined {
  const spec = (rollout.spec ?? {}) as Record<string, unknown>;
  if (spec.template === undefined) return undefined;
  const meta = (rollout.metadata ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const f of carriedSpecFields) if (spec[f] !== undefined) out[f] = structuredClone(spec[f]);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: Object.fromEntries(
      Object.entries({
        name: meta.name,
        namespace: meta.namespace,
        labels: meta.labels,
        // Argo's own annotations (rollout.argoproj.io/*) mean nothing on a Deployment.
        annotations: withoutArgoAnnotations(meta.annotations),
      }).filter(([, v]) => v !== undefined),
    ),
    spec: out,
  };
}

function withoutArgoAnnotations(a: unknown): Record<string, string> | undefined {
  if (a === null || typeof a !== 'object') return undefined;
  const kept = Object.entries(a as Record<string, string>).filter(
    ([k]) => !k.startsWith('rollout.argoproj.io/'),
  );
  return kept.length ? Object.fromEntries(kept) : undefined;
}
