import type { KubernetesObject } from '@kubernetes/client-node';
import { type Document, LineCounter, parseAllDocuments, type Tags } from 'yaml';
import { RenderError } from './renderer.js';

/** Where manifest text came from, for error messages. */
export interface ManifestOrigin {
  /** File relative to repoRoot: the file itself, or for tool output the application path. */
  file: string;
  /** Set for tool output: the tool's name. Lines in an output are not lines the user wrote, so none are reported. */
  tool?: string;
  /** Maps the file a `# Source: …` comment names (helm writes them) to a path relative to repoRoot. */
  source?: (named: string) => string;
}

// Kubernetes reads YAML as go-yaml v2 does: YAML 1.1 booleans (yes/on) and octals (defaultMode: 0644)
// resolve, but timestamps, sexagesimals (1:30) and !!binary stay strings. The yaml package's 1.1
// schema without those tags reads manifests the way kubectl and the API server do.
function kubernetesTags(tags: Tags): Tags {
  const unwanted = new Set(['timestamp', 'binary', 'intTime', 'floatTime']);
  return tags.filter((t) =>
    typeof t === 'string'
      ? !unwanted.has(t)
      : t.tag !== 'tag:yaml.org,2002:timestamp' &&
        t.tag !== 'tag:yaml.org,2002:binary' &&
        t.format !== 'TIME',
  );
}

/** Parses multi-document YAML (or JSON): empty documents skipped, List kinds flattened, every object checked. */
export function parseManifests(text: string, origin: ManifestOrigin): KubernetesObject[] {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, {
    version: '1.1',
    customTags: kubernetesTags,
    lineCounter: lines,
    uniqueKeys: true,
    prettyErrors: false,
  });
  const out: KubernetesObject[] = [];
  docs.forEach((doc, i) => {
    const at = locator(doc, lines, origin, docs.length > 1 ? `document ${i + 1}` : 'object');
    const error = doc.errors[0];
    if (error) {
      const line = lines.linePos(error.pos[0]).line;
      throw origin.tool
        ? new RenderError(`${origin.tool} output is not valid YAML (output line ${line}): ${error.message}`, {
            file: at.file,
            toolMessage: error.message,
          })
        : new RenderError(`YAML syntax error: ${error.message}`, {
            file: at.file,
            line,
            toolMessage: error.message,
          });
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (cause) {
      throw at.error(`cannot be read: ${(cause as Error).message}`);
    }
    if (value !== null && value !== undefined) collect(value, at.label, at.error, out);
  });
  return out;
}

/** What is wrong with an object Sluice is to apply, or undefined when it has apiVersion, kind and metadata.name. */
export function objectProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'is not a Kubernetes object (a mapping)';
  const missing = ['apiVersion', 'kind'].filter((k) => !nonEmpty(value[k]));
  const metadata = value.metadata;
  if (!isRecord(metadata) || !nonEmpty(metadata.name)) missing.push('metadata.name');
  if (missing.length === 0) return undefined;
  const kind = nonEmpty(value.kind) ? ` (${value.kind})` : '';
  return `${kind} has no ${missing.join(', no ')}`.trimStart();
}

function collect(value: unknown, label: string, error: (m: string) => RenderError, out: KubernetesObject[]) {
  // A kind ending in "List" with an items array (v1 List, ConfigMapList, …) is not an object to apply:
  // kubectl applies each of its items, and so does Sluice.
  if (
    isRecord(value) &&
    typeof value.kind === 'string' &&
    /List$/.test(value.kind) &&
    Array.isArray(value.items)
  ) {
    for (const [i, item] of value.items.entries())
      collect(item, label === 'object' ? `items[${i}]` : `${label} items[${i}]`, error, out);
    return;
  }
  const problem = objectProblem(value);
  if (problem) throw error(`${label} ${problem}`);
  out.push(value as KubernetesObject);
}

function locator(doc: Document.Parsed, lines: LineCounter, origin: ManifestOrigin, label: string) {
  const named = sourceComment(doc);
  const file = named && origin.source ? origin.source(named) : origin.file;
  const line = lines.linePos(doc.contents?.range[0] ?? doc.range[0]).line;
  const error = (message: string) =>
    origin.tool
      ? new RenderError(`${origin.tool} output: ${message}`, { file })
      : new RenderError(message, { file, line });
  return { file, label, error };
}

function sourceComment(doc: Document.Parsed): string | undefined {
  const comment = `${doc.commentBefore ?? ''}\n${doc.contents?.commentBefore ?? ''}`;
  return /^ ?Source: (.+)$/m.exec(comment)?.[1]?.trim();
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nonEmpty(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0;
}
