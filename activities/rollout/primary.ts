import type { V1Deployment, V1PodSpec } from '@kubernetes/client-node';
import type { ConfigRefs } from './config-refs.js';
import { renameConfigRefs } from './config-refs.js';
import { CHECKSUM_ANNOTATION, primaryName, ROLLOUT_LABEL } from './names.js';
import { selectorLabel } from './selector-label.js';

/** Inputs of the primary Deployment besides the target itself. */
export interface PrimaryOptions {
  rollout: string;
  replicas: number;
  checksum: string;
  /** ConfigMaps / Secrets copied as `<name>-primary`, whose references are renamed in the primary. */
  copied: ConfigRefs;
}

/**
 * The `<target>-primary` Deployment: the target's pod template with the selector label's value
 * suffixed `-primary` (so primary and canary pods are told apart) and copied config renamed.
 */
export function primaryDeployment(target: V1Deployment, opts: PrimaryOptions): V1Deployment {
  const { key, value } = selectorLabel(target);
  const template = structuredClone(target.spec?.template ?? {});
  const podLabels = { ...(template.metadata?.labels ?? {}), [key]: primaryName(value) };
  const spec = renameConfigRefs(template.spec as V1PodSpec, opts.copied, primaryName);
  const name = target.metadata?.name as string;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: primaryName(name),
      namespace: target.metadata?.namespace,
      labels: { [key]: primaryName(value), [ROLLOUT_LABEL]: opts.rollout },
      annotations: { [CHECKSUM_ANNOTATION]: opts.checksum },
    },
    spec: {
      replicas: opts.replicas,
      selector: { matchLabels: { [key]: primaryName(value) } },
      ...(target.spec?.strategy ? { strategy: target.spec.strategy } : {}),
      ...(target.spec?.minReadySeconds !== undefined ? { minReadySeconds: target.spec.minReadySeconds } : {}),
      ...(target.spec?.progressDeadlineSeconds !== undefined
        ? { progressDeadlineSeconds: target.spec.progressDeadlineSeconds }
        : {}),
      ...(target.spec?.revisionHistoryLimit !== undefined
        ? { revisionHistoryLimit: target.spec.revisionHistoryLimit }
        : {}),
      template: {
        metadata: {
          ...template.metadata,
          labels: podLabels,
          annotations: { ...(template.metadata?.annotations ?? {}), [CHECKSUM_ANNOTATION]: opts.checksum },
        },
        spec,
      },
    },
  };
}
