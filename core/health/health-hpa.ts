import type { HealthStatus } from './types.js';
import { type Condition, conditions, field, type Obj } from './unstructured.js';

// autoscaling/v1 keeps its conditions in an annotation rather than in status.
const V1_CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';

function hpaConditions(obj: Obj): Condition[] {
  const own = conditions(obj);
  if (own.length > 0) return own;
  const annotation = field(obj, 'metadata', 'annotations', V1_CONDITIONS_ANNOTATION);
  if (typeof annotation !== 'string') return [];
  const parsed: unknown = JSON.parse(annotation); // a malformed annotation is reported as Unknown by the dispatcher
  return conditions({ status: { conditions: parsed } });
}

/**
 * HorizontalPodAutoscaler health: AbleToScale or ScalingActive False is Degraded (it cannot read its
 * target or its metrics), except ScalingActive False for ScalingDisabled, which is the target being
 * scaled to zero on purpose (Suspended); both True is Healthy; no conditions yet is Progressing.
 */
export function hpaHealth(obj: Obj): HealthStatus {
  const all = hpaConditions(obj);
  const able = all.find((c) => c.type === 'AbleToScale');
  const active = all.find((c) => c.type === 'ScalingActive');
  if (able?.status === 'False') return { status: 'Degraded', message: able.message ?? able.reason };
  if (active?.status === 'False') {
    if (active.reason === 'ScalingDisabled') return { status: 'Suspended', message: active.message };
    return { status: 'Degraded', message: active.message ?? active.reason };
  }
  if (able?.status === 'True' && active?.status === 'True') {
    const limited = all.find((c) => c.type === 'ScalingLimited' && c.status === 'True');
    return { status: 'Healthy', message: limited?.message ?? active.message };
  }
  return { status: 'Progressing', message: 'Waiting to autoscale' };
}
