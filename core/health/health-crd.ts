import type { HealthStatus } from './types.js';
import { findCondition, type Obj } from './unstructured.js';

/**
 * CustomResourceDefinition health from its conditions. Unlike Argo CD, a CRD whose names are accepted
 * but that is not Established yet is Progressing rather than Degraded: the API server establishes it a
 * moment after the apply, and the progress deadline catches one that never gets there.
 */
export function crdHealth(obj: Obj): HealthStatus {
  const terminating = findCondition(obj, 'Terminating');
  if (terminating?.status === 'True') {
    return { status: 'Progressing', message: `CRD is being terminated: ${terminating.message ?? ''}`.trim() };
  }
  const names = findCondition(obj, 'NamesAccepted');
  if (names?.status === 'False') {
    return {
      status: 'Degraded',
      message: `CRD names have not been accepted: ${names.message ?? names.reason}`,
    };
  }
  const violations = findCondition(obj, 'NonStructuralSchema');
  if (violations?.status === 'True') {
    return {
      status: 'Degraded',
      message: `CRD schema is not structural: ${violations.message ?? ''}`.trim(),
    };
  }
  const established = findCondition(obj, 'Established');
  if (established?.status !== 'True' || names?.status !== 'True') {
    return {
      status: 'Progressing',
      message: established?.message ?? 'Waiting for the CRD to be established',
    };
  }
  return { status: 'Healthy', message: 'CRD is established' };
}
