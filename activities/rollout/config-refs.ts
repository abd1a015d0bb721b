import type { V1PodSpec } from '@kubernetes/client-node';

/** ConfigMaps and Secrets a pod spec references, by name. */
export interface ConfigRefs {
  configMaps: Set<string>;
  secrets: Set<string>;
}

type Renamer = (name: string) => string;

/**
 * Visits every ConfigMap / Secret reference of a pod spec (volumes, projected volumes, env, envFrom),
 * letting the visitor rename it in place. Image pull secrets and service-account tokens are left alone:
 * they are not configuration a new version changes.
 */
function visitRefs(spec: V1PodSpec, onConfigMap: Renamer, onSecret: Renamer): void {
  for (const volume of spec.volumes ?? []) {
    if (volume.configMap?.name) volume.configMap.name = onConfigMap(volume.configMap.name);
    if (volume.secret?.secretName) volume.secret.secretName = onSecret(volume.secret.secretName);
    for (const source of volume.projected?.sources ?? []) {
      if (source.configMap?.name) source.configMap.name = onConfigMap(source.configMap.name);
      if (source.secret?.name) source.secret.name = onSecret(source.secret.name);
    }
  }
  for (const container of [...(spec.initContainers ?? []), ...spec.containers]) {
    for (const env of container.env ?? []) {
      const cm = env.valueFrom?.configMapKeyRef;
      if (cm?.name) cm.name = onConfigMap(cm.name);
      const secret = env.valueFrom?.secretKeyRef;
      if (secret?.name) secret.name = onSecret(secret.name);
    }
    for (const from of container.envFrom ?? []) {
      if (from.configMapRef?.name) from.configMapRef.name = onConfigMap(from.configMapRef.name);
      if (from.secretRef?.name) from.secretRef.name = onSecret(from.secretRef.name);
    }
  }
}

/** The ConfigMaps and Secrets a pod spec references. */
export function configRefs(spec: V1PodSpec): ConfigRefs {
  const refs: ConfigRefs = { configMaps: new Set(), secrets: new Set() };
  const copy = structuredClone(spec);
  visitRefs(
    copy,
    (n) => {
      refs.configMaps.add(n);
      return n;
    },
    (n) => {
      refs.secrets.add(n);
      return n;
    },
  );
  return refs;
}

/** A copy of the pod spec whose references to the given ConfigMaps / Secrets are renamed. */
export function renameConfigRefs(spec: V1PodSpec, copied: ConfigRefs, rename: Renamer): V1PodSpec {
  const copy = structuredClone(spec);
  visitRefs(
    copy,
    (n) => (copied.configMaps.has(n) ? rename(n) : n),
    (n) => (copied.secrets.has(n) ? rename(n) : n),
  );
  return copy;
}
