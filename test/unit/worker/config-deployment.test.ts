import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageVersion } from '../../../scripts/stack/project-root.js';
import { loadWorkerConfig } from '../../../worker/config.js';
import { bundleBuildId, workerDeploymentOptions } from '../../../worker/deployment.js';

function file(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'sluice-wcfg-')), 'worker.yaml');
  writeFileSync(path, content);
  return path;
}

describe('worker deployment config', () => {
  it('is off unless the config has a deployment block', () => {
    expect(loadWorkerConfig(file('taskQueue: q\n'), {}).deployment).toBeUndefined();
  });

  it('reads name and buildId; SLUICE_DEPLOYMENT_BUILD_ID overrides the buildId', () => {
    const path = file('deployment: {name: sluice, buildId: "1.2.0"}\n');
    expect(loadWorkerConfig(path, {}).deployment).toEqual({ name: 'sluice', buildId: '1.2.0' });
    expect(loadWorkerConfig(path, { SLUICE_DEPLOYMENT_BUILD_ID: 'img-abc' }).deployment).toEqual({
      name: 'sluice',
      buildId: 'img-abc',
    });
    expect(loadWorkerConfig(file('deployment: {name: sluice}\n'), {}).deployment).toEqual({ name: 'sluice' });
  });

  it('refuses a bad name, an unknown key, a bad build ID, and a build ID without a deployment', () => {
    expect(() => loadWorkerConfig(file('deployment: {name: "a b"}\n'), {})).toThrow(
      /deployment.name: must match/,
    );
    expect(() => loadWorkerConfig(file('deployment: {name: s, version: x}\n'), {})).toThrow(/version/);
    expect(() =>
      loadWorkerConfig(file('deployment: {name: s}\n'), { SLUICE_DEPLOYMENT_BUILD_ID: 'a/b' }),
    ).toThrow(/not a build ID/);
    expect(() => loadWorkerConfig(file('taskQueue: q\n'), { SLUICE_DEPLOYMENT_BUILD_ID: 'x' })).toThrow(
      /no deployment block/,
    );
  });

  it('derives the default build ID from the package version and the bundle, and changes with the code', () => {
    expect(packageVersion()).toMatch(/^\d+\.\d+\.\d+/);
    expect(bundleBuildId('code', '0.1.0')).toMatch(/^0\.1\.0-[0-9a-f]{12}$/);
    expect(bundleBuildId('code', '0.1.0')).toBe(bundleBuildId('code', '0.1.0'));
    expect(bundleBuildId('code2', '0.1.0')).not.toBe(bundleBuildId('code', '0.1.0'));
    expect(workerDeploymentOptions('sluice', 'b1')).toEqual({
      useWorkerVersioning: true,
      version: { deploymentName: 'sluice', buildId: 'b1' },
      defaultVersioningBehavior: 'PINNED',
    });
  });
});
