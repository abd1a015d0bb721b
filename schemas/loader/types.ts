import type { TrafficProviderName } from '../../core/traffic/providers.js';
import type {
  AlertProvider,
  Application,
  ApplicationSet,
  MetricTemplate,
  Pipeline,
  Project,
  Rollout,
} from '../types.generated.js';
import type { GeneratorInputs } from './app-sets/inputs.js';

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

/** Which ApplicationSet made an Application, from which generator element, and what the set may do to it. */
export interface GeneratedBy {
  /** The set, "namespace/name". */
  set: string;
  /** The generator element, e.g. `spec.generators[0].git.directories: apps/web`. */
  element: string;
  /** The set's syncPolicy.applicationsSync. */
  policy: 'sync' | 'create-only' | 'create-update' | 'create-delete';
  /** The set's syncPolicy.preserveResourcesOnDeletion. */
  preserve: boolean;
}

/** A schema-generated type with the location it was loaded from (a generated Application: its set's). */
export type WithSource<T> = T & { source: SourceLocation; generatedBy?: GeneratedBy };

/** A valid Sluice object; objects converted from Flagger or Argo carry their original file's location. */
export type SluiceObject =
  | WithSource<Application>
  | WithSource<Rollout>
  | WithSource<MetricTemplate>
  | WithSource<AlertProvider>
  | WithSource<Project>
  | WithSource<Pipeline>
  | WithSource<ApplicationSet>;

/** A document a load skipped: where, what it was (when it says), and why. */
export interface IgnoredDocument {
  file: string;
  reason: string;
  line?: number;
  apiVersion?: string;
  kind?: string;
  name?: string;
}

/** A Flagger, Argo or Flux document a load converted, and what it became. */
export interface ConvertedDocument {
  file: string;
  /** Line the document starts at. */
  line: number;
  /** The original kind as messages name it, e.g. "Flux Kustomization". */
  label: string;
  name?: string;
  /** The Sluice objects made from it (before validation). */
  objects: { kind: string; name: string }[];
  /** Plain Kubernetes objects it stands for besides them (an Argo Rollout's Deployment). */
  manifests: Record<string, unknown>[];
}

/** Everything a load found: valid objects, errors, warnings and the documents it skipped. */
export interface LoadResult {
  objects: SluiceObject[];
  errors: LoadError[];
  /** Things that do not stop a load, such as Flagger or Argo fields Sluice does not need. */
  warnings: LoadError[];
  ignored: IgnoredDocument[];
  /** Each converted document, in file order (set by loadPipelineFiles). */
  converted?: ConvertedDocument[];
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
  /** What ApplicationSet generators read (Git trees, clusters); a generator whose input is missing is an error. */
  generators?: GeneratorInputs;
  /** Check ApplicationSets without generating their Applications (`sluice convert` only translates them). */
  skipGenerators?: boolean;
  /** The id of the repository being loaded: a dependsOn entry naming it is checked as one of this repository. */
  repoId?: string;
  /**
   * The traffic provider of Rollouts (and converted Flagger Canaries) that name none, as Flagger's
   * install-time mesh provider: the worker config's rollouts.defaultProvider, or `--provider`. Loaded
   * Rollouts carry it in spec.provider. Default: kubernetes (and spec.provider left unset).
   */
  defaultProvider?: TrafficProviderName;
}

/** Default of LoadOptions.maxFileBytes. */
export const defaultMaxFileBytes = 1024 * 1024;

/** Default of LoadOptions.maxAliasCount. */
export const defaultMaxAliasCount = 100;
