import { describe, expect, it } from 'vitest';
import { fetchForAddress } from '../../../../activities/egress/admin-origin.js';
import type { EgressFetch } from '../../../../activities/egress/guarded-fetch.js';

const guarded: EgressFetch = async () => new Response(null, { status: 204 });

describe('fetchForAddress', () => {
  it("exempts only the origins the administrator configured (the worker's own Prometheus)", () => {
    const admin = ['http://prometheus.monitoring:9090', undefined];
    expect(fetchForAddress('http://prometheus.monitoring:9090', admin, guarded)).toBeUndefined();
    expect(
      fetchForAddress('http://ann:pw@prometheus.monitoring:9090/prefix', admin, guarded),
    ).toBeUndefined();
    expect(fetchForAddress('http://prometheus.monitoring:9091', admin, guarded)).toBe(guarded);
    expect(fetchForAddress('https://prometheus.monitoring:9090', admin, guarded)).toBe(guarded);
    expect(fetchForAddress('http://169.254.169.254', admin, guarded)).toBe(guarded);
    expect(fetchForAddress('not a url', admin, guarded)).toBe(guarded);
    expect(fetchForAddress('http://x', [undefined], guarded)).toBe(guarded);
  });
});
