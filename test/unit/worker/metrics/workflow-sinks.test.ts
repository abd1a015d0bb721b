import { TypedSearchAttributes } from '@temporalio/common';
import type { WorkflowInfo } from '@temporalio/workflow';
import { describe, expect, it } from 'vitest';
import { applicationOf } from '../../../../worker/metrics/workflow-sinks.js';
import { SluiceApp } from '../../../../workflows/shared/search-attributes.js';

describe('applicationOf', () => {
  const info = {
    searchAttributes: { SluiceApp: ['web'] },
    typedSearchAttributes: new TypedSearchAttributes([{ key: SluiceApp, value: 'web' }]),
  } as unknown as WorkflowInfo;

  it('reads SluiceApp from the workflow info, in the same thread or cloned across a message port', () => {
    expect(applicationOf(info)).toBe('web');
    // What a sink receives when workflows run in worker threads: the typed attributes lose their methods.
    expect(applicationOf(structuredClone(info))).toBe('web');
  });

  it('is empty for a workflow without the attribute', () => {
    expect(
      applicationOf({
        searchAttributes: {},
        typedSearchAttributes: new TypedSearchAttributes(),
      } as WorkflowInfo),
    ).toBe('');
  });
});
