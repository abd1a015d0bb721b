// Health assessment of Kubernetes objects as pure functions, modelled on Argo CD's gitops-engine
// pkg/health: one file per kind, this dispatcher on top. The sync workflow's health step calls
// assessHealth for every applied object and aggregateHealth over the results.
import { assessCustom, findCustomCheck } from './custom-check.js';
import { apiServiceHealth } from './health-apiservice.js';
import { crdHealth } from './health-crd.js';
import { cronJobHealth } from './health-cronjob.js';
import { daemonSetHealth } from './health-daemonset.js';
import { deploymentHealth } from './health-deployment.js';
import { genericHealth } from './health-generic.js';
import { hpaHealth } from './health-hpa.js';
import { ingressHealth } from './health-ingress.js';
import { jobHealth } from './health-job.js';
import { podHealth } from './health-pod.js';
import { pvcHealth } from './health-pvc.js';
import { replicaSetHealth } from './health-replicaset.js';
import { serviceHealth } from './health-service.js';
import { statefulSetHealth } from './health-statefulset.js';
import { applyProgressDeadline } from './progress-deadline.js';
import type { HealthOptions, HealthStatus } from './types.js';
import { field, groupOf, type Obj, str } from './unstructured.js';

export { aggregateHealth, HEALTH_ORDER, isWorse } from './aggregate.js';
export { validateCelExpression } from './cel.js';
export type { CustomHealthCheck, HealthCode, HealthOptions, HealthStatus } from './types.js';

type Check = (obj: Obj) => HealthStatus;

/** Built-in checks by `group/Kind` (core group empty); `extensions` holds the pre-1.16 workload and Ingress kinds. */
const BUILT_IN: Record<string, Check> = {
  'apps/Deployment': deploymentHealth,
  'apps/StatefulSet': statefulSetHealth,
  'apps/DaemonSet': daemonSetHealth,
  'apps/ReplicaSet': replicaSetHealth,
  'extensions/Deployment': deploymentHealth,
  'extensions/DaemonSet': daemonSetHealth,
  'extensions/ReplicaSet': replicaSetHealth,
  'extensions/Ingress': ingressHealth,
  'networking.k8s.io/Ingress': ingressHealth,
  '/Pod': podHealth,
  '/Service': serviceHealth,
  '/PersistentVolumeClaim': pvcHealth,
  'batch/Job': jobHealth,
  'batch/CronJob': cronJobHealth,
  'autoscaling/HorizontalPodAutoscaler': hpaHealth,
  'apiextensions.k8s.io/CustomResourceDefinition': crdHealth,
  'apiregistration.k8s.io/APIService': apiServiceHealth,
};

function assess(obj: Obj, opts: HealthOptions): HealthStatus {
  // An object on its way out is neither healthy nor failed, whatever its status says (as Argo CD).
  if (field(obj, 'metadata', 'deletionTimestamp'))
    return { status: 'Progressing', message: 'Pending deletion' };
  const custom = findCustomCheck(obj, opts.customChecks);
  if (custom) return assessCustom(obj, custom);
  const key = `${groupOf(str(obj, 'apiVersion') ?? '')}/${str(obj, 'kind') ?? ''}`;
  return (BUILT_IN[key] ?? genericHealth)(obj);
}

/**
 * Assesses one object: Missing when absent; otherwise the custom check for its group/kind, else the
 * built-in check for its kind, else kstatus-like conditions; then Progressing past the progress
 * deadline becomes Degraded. Never throws: a failed assessment is Unknown with the reason.
 */
export function assessHealth(obj: object | undefined, opts: HealthOptions): HealthStatus {
  if (!obj) return { status: 'Missing', message: 'Resource does not exist' };
  const o = obj as unknown as Obj;
  let health: HealthStatus;
  try {
    health = assess(o, opts);
  } catch (e) {
    return {
      status: 'Unknown',
      message: `health check of ${str(o, 'kind')} failed: ${(e as Error).message}`,
    };
  }
  if (health.message === undefined || health.message === '') health = { status: health.status };
  return applyProgressDeadline(health, o, opts.now, opts.progressDeadlineSeconds);
}
