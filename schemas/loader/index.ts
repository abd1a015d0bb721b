// The pipeline-file loader: YAML in, validated Sluice objects (or located errors) out.
//
//   loadPipelineFiles(files)      pure: parse, convert Flagger/Argo documents, validate, check references
//   loadPipelineDirectory(dir)    reads *.yaml/*.yml under dir, then loadPipelineFiles
//   formatLoadError(e)            "file:line:col: field: message (hint)"
export { findPipelineFiles, loadPipelineDirectory, readSourceFiles } from './directory.js';
export { formatLoadError } from './format.js';
export { loadPipelineFiles } from './load.js';
export {
  type ConvertedDocument,
  defaultMaxAliasCount,
  defaultMaxFileBytes,
  type LoadError,
  type LoadOptions,
  type LoadResult,
  type SluiceObject,
  type SourceFile,
  type SourceLocation,
  type WithSource,
} from './types.js';
