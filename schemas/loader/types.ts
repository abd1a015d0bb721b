import type {
  AlertProvider,
  Application,
  MetricTemplate,
  Pipeline,
  Project,
  Rollout,
} from '../types.generated.js';

/** A pipeline file to load: its path as it should be reported and its text. */
export interface SourceFile {
  path: string;
  content: string;
}

/** A problem found while loading, located at a line and column (both 1-based) of a file. */
export interface LoadError {
  file: string;
  line: number;
  col: number;
  /** Dotted path of the field, e.g. `spec.analysis.metrics[0].name`; empty for file-level problems. */
  field: string;
  message: string;
  hint?: string;
}

/** Where a loaded object's document starts. */
export interface SourceLocation {
  file: string;
  line: number;
}

/** A schema-generated type with the location it was loaded from. */
export type WithSource<T> = T & { source: SourceLocation };

/** A valid Sluice object; objects converted from Flagger or Argo carry their original file's location. */
export type SluiceObject =
  | WithSource<Application>
  | WithSource<Rollout>
  | WithSource<MetricTemplate>
  | WithSource<AlertProvider>
  | WithSource<Project>
  | WithSource<Pipeline>;

/** Everything a load found: valid objects, errors, warnings and the documents it skipped. */
export interface LoadResult {
  objects: SluiceObject[];
  errors: LoadError[];
  /** Things that do not stop a load, such as Flagger or Argo fields Sluice does not need. */
  warnings: LoadError[];
  ignored: { file: string; reason: string }[];
}

/** Limits that guard against huge or hostile input. */
export interface LoadOptions {
  /** Largest file read, in bytes. Default: 1 MiB. */
  maxFileBytes?: number;
  /** Most YAML alias expansions per document (a guard against "billion laughs"). Default: 100. */
  maxAliasCount?: number;
  /**
   * The Projects the administrator bound to the repository being loaded (the worker passes them).
   * Given, `spec.project` of Applications and Pipelines must name one of them (or be left out when
   * there is exactly one), and Project documents are refused: only administrators define Projects.
   */
  projects?: { bound: string[] };
}

/** Default of LoadOptions.maxFileBytes. */
export const defaultMaxFileBytes = 1024 * 1024;

/** Default of LoadOptions.maxAliasCount. */
export const defaultMaxAliasCount = 100;
