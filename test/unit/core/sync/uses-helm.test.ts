import { describe, expect, it } from 'vitest';
import { mayUseHelm } from '../../../../core/sync/uses-helm.js';

describe('mayUseHelm', () => {
  it('is true for helm, detection and charts; false for named other renderers and ref-only sources', () => {
    expect(mayUseHelm({})).toBe(true);
    expect(mayUseHelm({ render: { plugin: 'helm' } })).toBe(true);
    expect(mayUseHelm({ render: { plugin: 'kustomize' } })).toBe(false);
    expect(mayUseHelm({ render: { plugin: 'directory' } })).toBe(false);
    expect(mayUseHelm({ sources: [{ repoURL: 'oci://r/c', chart: 'web' }] })).toBe(true);
    expect(
      mayUseHelm({
        sources: [
          { repoURL: 'https://g/x.git', path: 'k', render: { plugin: 'kustomize' } },
          { repoURL: 'https://g/v.git', ref: 'values' },
        ],
      }),
    ).toBe(false);
  });
});
