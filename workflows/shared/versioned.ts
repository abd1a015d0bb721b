// Bundled only into versioned workers, as a workflow interceptor module (worker/create-worker.ts): an
// unversioned worker whose workflows name a versioning behaviour fails every workflow task ("versioning
// behavior cannot be specified without deployment options being set with versioned mode").
import type { WorkflowInterceptorsFactory } from '@temporalio/workflow';
import * as workflows from '../index.js';
import { setVersioningBehaviors } from './versioning.js';

setVersioningBehaviors(workflows);

/** No interceptors: the module is here for the behaviours it attaches when the bundle loads. */
export const interceptors: WorkflowInterceptorsFactory = () => ({});
