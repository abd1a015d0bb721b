import {
  formatLoadError,
  type LoadOptions,
  type LoadResult,
  loadPipelineFiles,
} from '../../../schemas/loader/index.js';

/** Loads in-memory files given as { path: content }. */
export function load(files: Record<string, string>, opts?: LoadOptions): LoadResult {
  return loadPipelineFiles(
    Object.entries(files).map(([path, content]) => ({ path, content })),
    opts,
  );
}

/** The formatted errors of a load. */
export function errorLines(files: Record<string, string>, opts?: LoadOptions): string[] {
  return load(files, opts).errors.map(formatLoadError);
}

/** A minimal valid Rollout; `spec` lines are appended under spec (indented by the caller). */
export const rolloutHead = `apiVersion: sluice.dev/v1alpha1
kind: Rollout
metadata:
  name: web
spec:
  targetRef:
    name: web
  service:
    port: 80
`;
