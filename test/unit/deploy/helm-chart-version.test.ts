import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

describe('deploy/helm/sluice/Chart.yaml', () => {
  it("carries package.json's version as both version and appVersion", () => {
    const root = join(import.meta.dirname, '../../..');
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    const chart = parse(readFileSync(join(root, 'deploy/helm/sluice/Chart.yaml'), 'utf8'));
    expect(chart.version).toBe(pkg.version);
    expect(chart.appVersion).toBe(pkg.version);
    // The self-managed Application pins the image tag the release ships.
    const app = parse(readFileSync(join(root, 'deploy/self-managed/application-helm.yaml'), 'utf8'));
    expect(String(app.spec.source.render.values.image.tag)).toBe(pkg.version);
  });
});
