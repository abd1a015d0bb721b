import type { KubernetesObject, V1ConfigMap, V1PodSpec, V1Secret } from '@kubernetes/client-node';
import type { KubeClients } from '../kube/client.js';
import type { ConfigData } from './checksum.js';
import { type ConfigRefs, configRefs } from './config-refs.js';
import { primaryName, ROLLOUT_LABEL } from './names.js';
import { readOptional } from './read.js';

/** The referenced ConfigMaps and Secrets that exist (optional references may point at nothing). */
export interface ReferencedConfig {
  present: ConfigRefs;
  data: ConfigData;
  objects: (V1ConfigMap | V1Secret)[];
}

/** Reads the ConfigMaps and Secrets a pod spec references. */
export async function readReferencedConfig(
  kube: KubeClients,
  namespace: string,
  spec: V1PodSpec,
): Promise<ReferencedConfig> {
  const refs = configRefs(spec);
  const result: ReferencedConfig = {
    present: { configMaps: new Set(), secrets: new Set() },
    data: { configMaps: {}, secrets: {} },
    objects: [],
  };
  for (const name of [...refs.configMaps].sort()) {
    const cm = await readOptional<V1ConfigMap>(kube, 'v1', 'ConfigMap', namespace, name);
    if (!cm) continue;
    result.present.configMaps.add(name);
    result.data.configMaps[name] = { data: cm.data ?? {}, binaryData: cm.binaryData ?? {} };
    result.objects.push(cm);
  }
  for (const name of [...refs.secrets].sort()) {
    const secret = await readOptional<V1Secret>(kube, 'v1', 'Secret', namespace, name);
    if (!secret) continue;
    result.present.secrets.add(name);
    result.data.secrets[name] = { type: secret.type, data: secret.data ?? {} };
    result.objects.push(secret);
  }
  return result;
}

/** `<name>-primary` copies of the referenced config, so a config change reaches only the canary until promotion. */
export function primaryConfigCopies(rollout: string, config: ReferencedConfig): KubernetesObject[] {
  return config.objects.map((o) => {
    const metadata = {
      name: primaryName(o.metadata?.name as string),
      namespace: o.metadata?.namespace,
      labels: { [ROLLOUT_LABEL]: rollout },
    };
    if (o.kind === 'Secret' || 'type' in o) {
      const s = o as V1Secret;
      return { apiVersion: 'v1', kind: 'Secret', metadata, type: s.type, data: s.data ?? {} };
    }
    const cm = o as V1ConfigMap;
    return {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata,
      data: cm.data ?? {},
      ...(cm.binaryData ? { binaryData: cm.binaryData } : {}),
    };
  });
}
