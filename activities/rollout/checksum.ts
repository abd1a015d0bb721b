import { createHash } from 'node:crypto';
import type { V1PodTemplateSpec } from '@kubernetes/client-node';

/** Configuration data a pod template uses, by kind and name (absent optional refs are left out). */
export interface ConfigData {
  configMaps: Record<string, unknown>;
  secrets: Record<string, unknown>;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/**
 * The revision of a workload: its pod template plus the data of the ConfigMaps and Secrets it
 * references, so a config change starts a rollout as a new image does (as Flagger tracks them).
 * Secret data enters only the hash, never a message.
 */
export function revisionChecksum(template: V1PodTemplateSpec, config: ConfigData): string {
  const body = JSON.stringify(canonical({ template, config }));
  return createHash('sha256').update(body).digest('hex').slice(0, 16);
}
