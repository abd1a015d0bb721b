import type { Client } from '@temporalio/client';
import { expect } from 'vitest';
import { pipelineWorkflowId } from '../../../core/workflow-ids.js';
import { loadPipelineFiles } from '../../../schemas/loader/index.js';
import type { Pipeline } from '../../../schemas/types.generated.js';
import type { PipelineTrigger } from '../../../workflows/pipeline/messages.js';
import { pipelineWorkflow } from '../../../workflows/pipeline/run.js';
import { SluiceApp, SluiceKind } from '../../../workflows/shared/search-attributes.js';
import { TEST_REPO } from './app.js';

/**
 * Loads one Pipeline file (it must be valid) and starts its run `1` directly, as its trigger workflow
 * would, in the tests' repository and default Project. Answers the run's handle.
 */
export async function startPipelineRun(
  env: { client: Client; taskQueue: string },
  file: { name: string; yaml: string },
  trigger: PipelineTrigger = { kind: 'manual' },
) {
  const loaded = loadPipelineFiles([{ path: `${file.name}.yaml`, content: file.yaml }]);
  expect(loaded.errors).toEqual([]);
  const pipeline = loaded.objects[0] as unknown as Pipeline;
  const name = pipeline.metadata.name;
  return env.client.workflow.start(pipelineWorkflow, {
    taskQueue: env.taskQueue,
    workflowId: pipelineWorkflowId(TEST_REPO, name, '1'),
    args: [
      {
        pipeline: {
          repoId: TEST_REPO,
          name,
          namespace: 'default',
          project: 'default',
          spec: pipeline.spec,
          source: `${file.name}.yaml:1`,
        },
        run: '1',
        trigger,
      },
    ],
    typedSearchAttributes: [
      { key: SluiceKind, value: 'pipeline' },
      { key: SluiceApp, value: name },
    ],
  });
}
