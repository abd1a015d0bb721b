import { describe, expect, it } from 'vitest';
import { aggregateHealth, HEALTH_ORDER, type HealthCode } from '../../../../core/health/health.js';

const of = (...codes: HealthCode[]) => codes.map((status) => ({ status }));

describe('aggregateHealth', () => {
  it('orders codes as Argo CD does, best to worst', () => {
    expect(HEALTH_ORDER).toEqual(['Healthy', 'Suspended', 'Progressing', 'Missing', 'Degraded', 'Unknown']);
  });

  it.each([
    [of(), 'Healthy'],
    [of('Healthy', 'Healthy'), 'Healthy'],
    [of('Healthy', 'Suspended'), 'Suspended'],
    [of('Suspended', 'Progressing', 'Healthy'), 'Progressing'],
    [of('Progressing', 'Missing'), 'Missing'],
    [of('Missing', 'Degraded', 'Progressing'), 'Degraded'],
    [of('Degraded', 'Unknown', 'Healthy'), 'Unknown'],
  ] as const)('%j → %s', (statuses, expected) => {
    expect(aggregateHealth([...statuses])).toBe(expected);
  });

  it('does not depend on the order of its input', () => {
    const codes = of('Degraded', 'Healthy', 'Missing', 'Suspended', 'Progressing');
    expect(aggregateHealth(codes)).toBe(aggregateHealth([...codes].reverse()));
  });
});
