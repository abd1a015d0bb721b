import { describe, expect, it } from 'vitest';
import { detectPlugin } from '../../../../plugins/renderers/detect.js';
import { fixtures, tempRepo } from './helpers.js';

describe('detectPlugin', () => {
  it('picks kustomize for a kustomization, helm for a chart, directory otherwise', async () => {
    expect(await detectPlugin(fixtures, 'kustomize-app/overlays/prod')).toBe('kustomize');
    expect(await detectPlugin(fixtures, 'helm-chart')).toBe('helm');
    expect(await detectPlugin(fixtures, 'directory-app')).toBe('directory');
  });

  it('prefers kustomize when a chart folder also has a kustomization', async () => {
    const root = tempRepo({ 'app/Chart.yaml': 'name: x\n', 'app/kustomization.yml': 'resources: []\n' });
    expect(await detectPlugin(root, 'app')).toBe('kustomize');
  });
});
