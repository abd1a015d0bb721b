import type { ParsedDocument } from '../parse.js';
import type { Conversion } from './conversion.js';

/** Documents a converter may need besides its own: Argo Rollouts name AnalysisTemplates defined elsewhere. */
export interface CompatContext {
  /** Argo AnalysisTemplates by "namespace/name", ClusterAnalysisTemplates by "cluster/name". */
  analysisTemplates: Map<string, ParsedDocument>;
}

/** Converts one document, recording objects and issues on the conversion. */
export type Converter = (c: Conversion, ctx: CompatContext) => void;

/** Namespace used when metadata.namespace is not set. */
export const defaultNamespace = 'default';

/** A string field of an object, or undefined. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A list field, or an empty list. */
export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Kubernetes integer seconds as a Sluice duration ("600s"); strings such as "30s" pass through. */
export function seconds(value: unknown): unknown {
  return typeof value === 'number' ? `${value}s` : value;
}
