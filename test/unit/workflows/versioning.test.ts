import { describe, expect, it } from 'vitest';
import * as workflows from '../../../workflows/index.js';
import '../../../workflows/shared/versioned.js';
import { setVersioningBehaviors, versioningBehaviors } from '../../../workflows/shared/versioning.js';

describe('workflow versioning behaviours', () => {
  it('names one for every registered workflow type, attached when a versioned worker loads workflows/shared/versioned.ts', () => {
    const exported = Object.entries(workflows).filter(([, fn]) => typeof fn === 'function');
    expect(exported.map(([name]) => name).sort()).toEqual(Object.keys(versioningBehaviors).sort());
    for (const [name, fn] of exported)
      expect((fn as { workflowDefinitionOptions?: unknown }).workflowDefinitionOptions, name).toEqual({
        versioningBehavior: versioningBehaviors[name],
      });
  });

  it('pins runs that must finish on their own code and upgrades the long-lived ones', () => {
    expect(versioningBehaviors).toMatchObject({
      syncWorkflow: 'PINNED',
      rolloutWorkflow: 'PINNED',
      pipelineWorkflow: 'PINNED',
      applicationWorkflow: 'AUTO_UPGRADE',
      repoWatcherWorkflow: 'AUTO_UPGRADE',
      pipelineTriggerWorkflow: 'AUTO_UPGRADE',
      pipelineLockWorkflow: 'AUTO_UPGRADE',
    });
  });

  it('refuses a workflow type the table does not name', () => {
    expect(() => setVersioningBehaviors({ newWorkflow: async () => undefined })).toThrow(/newWorkflow/);
  });
});
