// The diff step of the sync engine: desired vs live by server-side dry run, with Argo CD's
// ignoreDifferences and statuses (Synced, OutOfSync, Missing, Extraneous) and a readable unified diff.

export type {
  ApplicationDiff,
  AppResourceDiff,
  DiffStatus,
  IgnoreDifference,
  ResourceDiff,
} from '../../core/diff/types.js';
export { type DiffApplicationOptions, diffApplication } from './diff-app.js';
export { diffResource } from './diff-resource.js';
export { predictApply } from './dry-run.js';
export { IgnoreRuleError } from './errors.js';
export {
  type FieldSet,
  fieldPaths,
  managedFieldSet,
  type PathElement,
  parseFieldsV1,
  pathString,
  removeFieldSet,
} from './fields-v1.js';
export { applyIgnoreDifferences, ruleMatches, validateIgnoreRules } from './ignore-differences.js';
export { parseJsonPointer, removeJsonPointer } from './json-pointer.js';
export { maskSecretData } from './mask-secrets.js';
export { normalize } from './normalize.js';
export { type DiffFormatOptions, toYaml, unifiedDiff } from './unified-diff.js';
