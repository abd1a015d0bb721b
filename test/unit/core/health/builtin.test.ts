import { describe, expect, it } from 'vitest';
import { assessHealth, type HealthCode } from '../../../../core/health/health.js';
import { fixture, NOW } from './fixtures.js';

// [fixture, expected code, a piece of the expected message]
const cases: [string, HealthCode, string][] = [
  ['deployment/healthy', 'Healthy', '3 of 3 replicas available'],
  ['deployment/progressing', 'Progressing', '1 out of 3 new replicas have been updated'],
  ['deployment/unobserved', 'Progressing', 'observe the new generation'],
  ['deployment/degraded', 'Degraded', 'exceeded its progress deadline'],
  ['deployment/paused', 'Suspended', 'paused'],
  ['deployment/scaled-to-zero', 'Healthy', '0 of 0 replicas available'],
  // Pods stopped being ready after the rollout finished: nothing in flight will fix it.
  ['deployment/lost-availability', 'Degraded', 'lost availability after its rollout finished'],

  ['statefulset/healthy', 'Healthy', 'Partitioned roll out complete: 3 new pods'],
  ['statefulset/progressing', 'Progressing', 'Waiting for 1 pods to be ready'],
  ['statefulset/partitioned-progressing', 'Progressing', '2 out of 3 new pods have been updated'],
  ['statefulset/partitioned-healthy', 'Healthy', 'Partitioned roll out complete'],
  ['statefulset/ondelete', 'Healthy', 'OnDelete'],
  ['statefulset/unobserved', 'Progressing', 'spec update to be observed'],

  ['daemonset/healthy', 'Healthy', '4 of 4 pods available'],
  ['daemonset/progressing', 'Progressing', '2 out of 4 new pods have been updated'],
  ['daemonset/ondelete', 'Healthy', '1 out of 4 pods updated (OnDelete)'],

  ['replicaset/healthy', 'Healthy', '3 of 3 replicas available'],
  ['replicaset/progressing', 'Progressing', '1 out of 3 replicas'],
  ['replicaset/degraded', 'Degraded', 'exceeded quota'],

  ['pod/running-ready', 'Healthy', ''],
  ['pod/pending-unschedulable', 'Progressing', 'Insufficient cpu'],
  ['pod/crashloop', 'Degraded', 'container "api": CrashLoopBackOff: back-off 2m40s'],
  ['pod/image-pull-backoff', 'Degraded', 'ImagePullBackOff'],
  ['pod/image-pull-backoff-restart-never', 'Progressing', ''],
  ['pod/failed', 'Degraded', 'container "migrate" failed with exit code 3'],
  ['pod/succeeded', 'Healthy', ''],
  ['pod/running-restart-never', 'Progressing', 'running to completion'],
  ['pod/running-restarted-not-ready', 'Degraded', 'terminated'],

  ['service/clusterip', 'Healthy', ''],
  ['service/loadbalancer-pending', 'Progressing', 'load balancer address'],
  ['service/loadbalancer-ready', 'Healthy', '203.0.113.10'],

  ['ingress/with-address', 'Healthy', 'lb-7f3a.elb.example.com'],
  ['ingress/no-address', 'Healthy', 'No load balancer address'],

  ['pvc/bound', 'Healthy', 'pvc-0c1d2e3f'],
  ['pvc/pending', 'Progressing', 'bound'],
  ['pvc/lost', 'Degraded', 'lost'],

  ['job/complete', 'Healthy', ''],
  ['job/running', 'Progressing', '1 active'],
  ['job/failed', 'Degraded', 'backoff limit'],
  ['job/suspended', 'Suspended', 'Job suspended'],

  ['cronjob/healthy', 'Healthy', 'successfully'],
  ['cronjob/suspended', 'Suspended', 'suspended'],
  ['cronjob/last-run-failed', 'Degraded', 'not completed its last run'],
  ['cronjob/running', 'Healthy', 'running'],
  ['cronjob/never-scheduled', 'Healthy', 'not been scheduled yet'],

  ['hpa/healthy', 'Healthy', 'successfully calculate a replica count'],
  ['hpa/degraded', 'Degraded', 'missing request for cpu'],
  ['hpa/progressing', 'Progressing', 'Waiting to autoscale'],
  ['hpa/scaling-disabled', 'Suspended', 'replica count of the target is zero'],
  ['hpa/v1-annotation', 'Healthy', 'successfully calculate a replica count'],

  ['crd/established', 'Healthy', 'established'],
  ['crd/names-not-accepted', 'Degraded', '"WidgetList" is already in use'],
  ['crd/not-established-yet', 'Progressing', ''],

  ['apiservice/available', 'Healthy', 'Passed: all checks passed'],
  ['apiservice/unavailable', 'Progressing', 'MissingEndpoints'],
  ['apiservice/not-processed', 'Progressing', 'Waiting to be processed'],

  ['generic/configmap', 'Healthy', 'no health check for ConfigMap'],
  ['generic/certificate-ready', 'Healthy', 'up to date'],
  ['generic/certificate-issuing', 'Progressing', 'Secret does not exist'],
  ['generic/helmrelease-stalled', 'Degraded', 'Failed to install after 3 attempt(s)'],
  ['generic/kustomization-reconciling', 'Progressing', 'Detecting drift'],
  ['generic/ready-false-failed', 'Degraded', 'authentication required'],
  ['generic/unobserved', 'Progressing', 'observe generation 3'],
];

describe('assessHealth built-in checks', () => {
  it.each(cases)('%s is %s', (name, code, message) => {
    const health = assessHealth(fixture(name), { now: NOW });
    expect(health.status).toBe(code);
    expect(health.message ?? '').toContain(message);
  });

  it('reports an absent object as Missing', () => {
    expect(assessHealth(undefined, { now: NOW })).toEqual({
      status: 'Missing',
      message: 'Resource does not exist',
    });
  });

  it('reports an object being deleted as Progressing, whatever its status says', () => {
    const obj = fixture('deployment/healthy');
    obj.metadata = { ...obj.metadata, deletionTimestamp: new Date('2026-05-04T09:04:00Z') };
    expect(assessHealth(obj, { now: NOW })).toEqual({ status: 'Progressing', message: 'Pending deletion' });
  });

  it('matches built-in checks by group, so legacy extensions/ Ingresses are covered', () => {
    const obj = { ...fixture('ingress/with-address'), apiVersion: 'extensions/v1beta1' };
    expect(assessHealth(obj, { now: NOW }).status).toBe('Healthy');
  });

  it('gives Unknown, not an exception, when a check cannot read the object', () => {
    const obj = fixture('hpa/v1-annotation');
    obj.metadata = { ...obj.metadata, annotations: { 'autoscaling.alpha.kubernetes.io/conditions': '[{' } };
    const health = assessHealth(obj, { now: NOW });
    expect(health.status).toBe('Unknown');
    expect(health.message).toContain('health check of HorizontalPodAutoscaler failed');
  });
});
