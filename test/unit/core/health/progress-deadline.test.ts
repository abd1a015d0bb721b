import type { KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { assessHealth } from '../../../../core/health/health.js';
import { lastChange } from '../../../../core/health/progress-deadline.js';
import { fixture, NOW } from './fixtures.js';

const minutes = (n: number) => n * 60_000;

describe('progress deadline', () => {
  it('turns Progressing into Degraded after 600s without a visible change', () => {
    // Last change 08:41 (managedFields and Progressing condition); 24 minutes before NOW.
    const health = assessHealth(fixture('deployment/stuck'), { now: NOW });
    expect(health.status).toBe('Degraded');
    expect(health.message).toBe(
      'Waiting for rollout to finish: 2 of 3 updated replicas are available; ' +
        'progress deadline exceeded: no change for 1440s (deadline 600s)',
    );
  });

  it('honours a longer progressDeadlineSeconds', () => {
    const health = assessHealth(fixture('deployment/stuck'), { now: NOW, progressDeadlineSeconds: 3600 });
    expect(health.status).toBe('Progressing');
  });

  it('measures from the latest change, so a fresh apply restarts the clock', () => {
    // Condition times are old (08:58), but Sluice applied the new generation at 09:04:58.
    const obj = fixture('deployment/unobserved');
    expect(lastChange(obj)).toBe(Date.parse('2026-05-04T09:04:58Z'));
    expect(assessHealth(obj, { now: NOW + minutes(9) }).status).toBe('Progressing');
    expect(assessHealth(obj, { now: NOW + minutes(11) }).status).toBe('Degraded');
  });

  it('applies to every kind, custom checks included', () => {
    expect(assessHealth(fixture('pod/pending-unschedulable'), { now: NOW + minutes(10) }).status).toBe(
      'Degraded',
    );
    expect(assessHealth(fixture('generic/certificate-issuing'), { now: NOW + minutes(11) }).status).toBe(
      'Degraded',
    );
    const checks = [{ apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', current: 'false' }];
    const health = assessHealth(fixture('custom/sealedsecret-synced'), {
      now: NOW + minutes(10),
      customChecks: checks,
    });
    expect(health.status).toBe('Degraded');
  });

  it('leaves other codes alone', () => {
    const later = NOW + minutes(60 * 24);
    expect(assessHealth(fixture('deployment/healthy'), { now: later }).status).toBe('Healthy');
    expect(assessHealth(fixture('deployment/paused'), { now: later }).status).toBe('Suspended');
  });

  it('leaves Progressing alone when the object exposes no time at all', () => {
    const obj = fixture('deployment/progressing') as KubernetesObject & { status: { conditions: unknown[] } };
    obj.metadata = { name: 'podinfo', generation: 3 };
    obj.status.conditions = [];
    expect(assessHealth(obj, { now: NOW + minutes(600) }).status).toBe('Progressing');
  });

  it('reads Date timestamps from typed client objects', () => {
    const obj = fixture('service/loadbalancer-pending');
    obj.metadata = { ...obj.metadata, creationTimestamp: new Date('2026-05-04T08:00:00Z') };
    expect(assessHealth(obj, { now: NOW }).status).toBe('Degraded');
  });
});
