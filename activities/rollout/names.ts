/** Name of the primary copy of a Deployment, ConfigMap, Secret or HPA. */
export const primaryName = (name: string): string => `${name}-primary`;

/** Name of the canary Service of an apex Service. */
export const canaryName = (name: string): string => `${name}-canary`;

/** Annotation on the primary holding the checksum it was promoted from. */
export const CHECKSUM_ANNOTATION = 'sluice.dev/rollout-checksum';

/** Label on every object the rollout machinery creates, naming its Rollout. */
export const ROLLOUT_LABEL = 'sluice.dev/rollout';

/** Field manager of the rollout machinery's server-side applies (separate from the sync's `sluice`). */
export const ROLLOUT_FIELD_MANAGER = 'sluice-rollout';
