// The bookkeeping every converter shares: what it read from the original document (so nothing is
// dropped unnoticed), where each converted field came from, and what could not be converted.
import type { SluiceKind } from '../../kinds.js';
import type { Issue } from '../issue.js';
import type { OriginMap } from '../origin.js';
import type { ParsedDocument } from '../parse.js';
import { type Path, pathKey, valueAt } from '../path.js';

/** A problem found while converting, as an error (not converted) or a warning (converted without it). */
export interface CompatIssue extends Issue {
  severity: 'error' | 'warning';
  /** The document the issue is in, when it is not the one being converted. */
  doc?: ParsedDocument;
}

/** A Sluice object made from a Flagger or Argo document. */
export interface Converted {
  kind: SluiceKind;
  value: Record<string, unknown>;
  origin: OriginMap;
}

/** Splits a dotted path written in a converter ("spec.analysis.metrics.0") into segments. */
export function p(dotted: string): Path {
  return dotted === '' ? [] : dotted.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** Server-populated metadata that carries no intent; dropped without a word. */
const serverFields = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'managedFields',
  'selfLink',
];

/** One conversion of one document. */
export class Conversion {
  readonly issues: CompatIssue[] = [];
  readonly objects: Converted[] = [];
  /** Plain Kubernetes objects the original stands for besides Sluice objects (an Argo Rollout's Deployment). */
  readonly manifests: Record<string, unknown>[] = [];
  private readonly consumed = new Set<string>();

  constructor(
    readonly doc: ParsedDocument,
    /** How the original kind is named in messages, e.g. "Flagger Canary". */
    readonly label: string,
  ) {}

  /** The original value at a dotted path, marked as read. */
  take(dotted: string | Path): unknown {
    const path = typeof dotted === 'string' ? p(dotted) : dotted;
    this.consumed.add(pathKey(path));
    return structuredClone(valueAt(this.doc.value, path));
  }

  /** The original value at a dotted path, not marked as read (for inspecting). */
  peek(dotted: string | Path): unknown {
    return valueAt(this.doc.value, typeof dotted === 'string' ? p(dotted) : dotted);
  }

  /** Reads a field and records that it becomes target in the converted object. */
  move(origin: OriginMap, target: string, from: string | Path): unknown {
    const path = typeof from === 'string' ? p(from) : from;
    origin.set(p(target), path);
    return this.take(path);
  }

  /** Marks fields as read without using them: server-populated or status. */
  ignore(...dotted: string[]): void {
    for (const d of dotted) this.take(d);
  }

  /** Reads a field Sluice does without, with a warning saying why, when it is set. */
  drop(dotted: string, reason: string): void {
    if (this.take(dotted) === undefined) return;
    this.issues.push({
      severity: 'warning',
      field: p(dotted),
      at: p(dotted),
      prefer: 'key',
      message: `not converted: ${reason}`,
    });
  }

  /** Reports a field whose value cannot be converted, pointing at the value. */
  error(dotted: string | Path, message: string, hint?: string): void {
    const path = typeof dotted === 'string' ? p(dotted) : dotted;
    this.consumed.add(pathKey(path));
    this.issues.push({
      severity: 'error',
      field: path,
      at: path,
      prefer: 'value',
      message,
      ...(hint ? { hint } : {}),
    });
  }

  /** Builds converted metadata: name, namespace, labels and annotations; server fields are ignored. */
  metadata(origin: OriginMap, opts: { namespaced?: boolean; name?: string } = {}): Record<string, unknown> {
    for (const f of serverFields) this.ignore(`metadata.${f}`);
    this.drop('metadata.finalizers', 'Sluice manages its own cleanup');
    this.drop('metadata.ownerReferences', 'pipeline files are not owned by cluster objects');
    return {
      name: opts.name ?? this.move(origin, 'metadata.name', 'metadata.name'),
      ...(opts.namespaced === false
        ? { namespace: this.ignore('metadata.namespace') }
        : { namespace: this.move(origin, 'metadata.namespace', 'metadata.namespace') }),
      labels: this.move(origin, 'metadata.labels', 'metadata.labels'),
      annotations: this.move(origin, 'metadata.annotations', 'metadata.annotations'),
    };
  }

  /** Adds a converted object; fields left undefined are removed. */
  emit(kind: SluiceKind, value: Record<string, unknown>, origin: OriginMap): void {
    this.objects.push({ kind, value: prune(value) as Record<string, unknown>, origin });
  }

  /** Adds a plain Kubernetes object that `sluice convert` writes beside the Sluice objects. */
  emitManifest(value: Record<string, unknown>): void {
    this.manifests.push(value);
  }

  /** A warning at a field, pointing at its key. */
  warn(dotted: string | Path, message: string): void {
    const path = typeof dotted === 'string' ? p(dotted) : dotted;
    this.issues.push({ severity: 'warning', field: path, at: path, prefer: 'key', message });
  }

  /** Reports, as errors, every field of the original that no step of the conversion read. */
  reportUnread(): void {
    this.ignore('apiVersion', 'kind', 'status');
    const visit = (value: unknown, path: Path): void => {
      if (this.consumed.has(pathKey(path))) return;
      const prefix = `${pathKey(path)}\u0000`;
      const descendantRead = path.length === 0 || [...this.consumed].some((k) => k.startsWith(prefix));
      if (!descendantRead || value === null || typeof value !== 'object') {
        this.issues.push({
          severity: 'error',
          field: path,
          at: path,
          prefer: 'key',
          message: `not converted: ${this.label} field with no Sluice equivalent`,
          hint: 'remove it, or write the Sluice object by hand',
        });
        return;
      }
      if (Array.isArray(value)) for (const [i, v] of value.entries()) visit(v, [...path, i]);
      else for (const [k, v] of Object.entries(value)) visit(v, [...path, k]);
    };
    visit(this.doc.value, []);
  }
}

/** Removes undefined fields so the schema sees only what was set (empty objects such as pause: {} stay). */
export function prune(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(prune);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = prune(v);
  return out;
}
