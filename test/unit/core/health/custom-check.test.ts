import { describe, expect, it } from 'vitest';
import { assessHealth, type CustomHealthCheck } from '../../../../core/health/health.js';
import { fixture, NOW } from './fixtures.js';

// Flux's cheatsheet expression for SealedSecrets, unchanged: top-level fields are variables too.
const sealedSecret: CustomHealthCheck = {
  apiVersion: 'bitnami.com/v1alpha1',
  kind: 'SealedSecret',
  failed: "status.conditions.filter(e, e.type == 'Synced').all(e, e.status == 'False')",
  current: "status.conditions.filter(e, e.type == 'Synced').all(e, e.status == 'True')",
};

describe('custom health checks (CEL)', () => {
  it('decides a kind the built-ins know nothing about, with Flux expressions as written', () => {
    const failed = fixture('custom/sealedsecret-sync-failed');
    const synced = fixture('custom/sealedsecret-synced');
    expect(assessHealth(failed, { now: NOW }).status).toBe('Healthy'); // the generic check cannot tell
    expect(assessHealth(failed, { now: NOW, customChecks: [sealedSecret] })).toEqual({
      status: 'Degraded',
      message: 'custom health check: failed expression is true',
    });
    expect(assessHealth(synced, { now: NOW, customChecks: [sealedSecret] }).status).toBe('Healthy');
  });

  it('overrides a built-in check for the same group and kind, whatever the version', () => {
    const ingress = fixture('ingress/no-address');
    const waitForAddress: CustomHealthCheck = {
      apiVersion: 'networking.k8s.io/v1beta1',
      kind: 'Ingress',
      current: 'size(self.status.?loadBalancer.?ingress.orValue([])) > 0',
    };
    const now = Date.parse('2026-05-04T08:41:00Z'); // a minute after it was created: within the deadline
    expect(assessHealth(ingress, { now }).status).toBe('Healthy');
    expect(assessHealth(ingress, { now, customChecks: [waitForAddress] })).toEqual({
      status: 'Progressing',
      message: 'custom health check: no expression is true yet',
    });
    expect(
      assessHealth(fixture('ingress/with-address'), { now: NOW, customChecks: [waitForAddress] }).status,
    ).toBe('Healthy');
  });

  it('tries inProgress, then failed, then current', () => {
    const deployment = fixture('deployment/progressing');
    const check = (c: Partial<CustomHealthCheck>) =>
      assessHealth(deployment, {
        now: NOW,
        customChecks: [{ apiVersion: 'apps/v1', kind: 'Deployment', ...c }],
      });
    expect(check({ inProgress: 'true', failed: 'true', current: 'true' }).status).toBe('Progressing');
    expect(check({ inProgress: 'false', failed: 'true', current: 'true' }).status).toBe('Degraded');
    // JSON integers compare and add as CEL ints, as in Kubernetes' own CEL.
    expect(check({ current: 'self.status.readyReplicas == self.spec.replicas' }).status).toBe('Healthy');
    expect(check({ failed: 'status.unavailableReplicas + 0 >= 1' }).status).toBe('Degraded');
  });

  it('does not touch other kinds', () => {
    const checks = [{ apiVersion: 'apps/v1', kind: 'StatefulSet', current: 'false' }];
    expect(assessHealth(fixture('deployment/healthy'), { now: NOW, customChecks: checks }).status).toBe(
      'Healthy',
    );
  });

  it('waits for the controller to observe the generation before evaluating anything', () => {
    const health = assessHealth(fixture('deployment/unobserved'), {
      now: NOW,
      customChecks: [{ apiVersion: 'apps/v1', kind: 'Deployment', current: 'true' }],
    });
    expect(health).toEqual({
      status: 'Progressing',
      message: 'Waiting for the controller to observe generation 3',
    });
  });

  it('gives Unknown naming the expression on a syntax error', () => {
    const health = assessHealth(fixture('deployment/healthy'), {
      now: NOW,
      customChecks: [{ apiVersion: 'apps/v1', kind: 'Deployment', current: 'self.status.readyReplicas ==' }],
    });
    expect(health.status).toBe('Unknown');
    expect(health.message).toContain('current expression "self.status.readyReplicas =="');
  });

  it('gives Unknown naming the expression on a runtime error (a field the object does not have)', () => {
    const health = assessHealth(fixture('custom/sealedsecret-synced'), {
      now: NOW,
      customChecks: [{ ...sealedSecret, failed: "status.phase == 'Failed'" }],
    });
    expect(health.status).toBe('Unknown');
    expect(health.message).toMatch(/failed expression "status.phase == 'Failed'": No such key: phase/);
  });

  it('gives Unknown when an expression does not return a bool', () => {
    const checks = [{ apiVersion: 'apps/v1', kind: 'Deployment', current: 'self.status.replicas' }];
    const health = assessHealth(fixture('deployment/healthy'), { now: NOW, customChecks: checks });
    expect(health).toEqual({
      status: 'Unknown',
      message: 'custom health check current expression "self.status.replicas": returned bigint, not a bool',
    });
  });

  it('sees Date fields of typed client objects as RFC 3339 strings, like JSON', () => {
    const obj = fixture('custom/sealedsecret-synced');
    obj.metadata = { ...obj.metadata, creationTimestamp: new Date('2026-05-04T09:00:00Z') };
    const checks = [
      {
        ...sealedSecret,
        current: "metadata.creationTimestamp == '2026-05-04T09:00:00.000Z'",
        failed: undefined,
      },
    ];
    expect(assessHealth(obj, { now: NOW, customChecks: checks }).status).toBe('Healthy');
  });
});
