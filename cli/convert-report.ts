// What `sluice convert` did with each document it read: converted, converted with warnings, refused,
// skipped, or kept (a plain Kubernetes object beside them). Documents are told apart by their lines, so
// every error and warning lands on the document it was found in.
import { LineCounter, parseAllDocuments } from 'yaml';
import type { ConvertedDocument, LoadError, LoadResult, SourceFile } from '../schemas/loader/index.js';

/** What happened to one document. */
export type Outcome = 'converted' | 'converted with warnings' | 'refused' | 'skipped' | 'kept' | 'sluice';

/** One document of an input file, what it became and why. */
export interface DocumentReport {
  file: string;
  /** First and last line of the document. */
  line: number;
  endLine: number;
  /** The document's own text, for copying a kept object unchanged. */
  text: string;
  /** "Argo Rollouts Rollout demo", "v1 Service web". */
  what: string;
  outcome: Outcome;
  /** The Sluice objects (and plain manifests) it became, as "Kind name". */
  became: string[];
  converted?: ConvertedDocument;
  errors: LoadError[];
  warnings: LoadError[];
}

/** API groups of the tools convert reads: a document of theirs Sluice has no converter for is skipped. */
const TOOL_GROUP = /^(argoproj\.io|flagger\.app|[a-z]+\.toolkit\.fluxcd\.io)\//;

function describe(value: unknown): { apiVersion?: string; what: string } {
  const v = (value ?? {}) as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } };
  const apiVersion = typeof v.apiVersion === 'string' ? v.apiVersion : undefined;
  const what = [apiVersion, v.kind, v.metadata?.name].filter((x) => typeof x === 'string').join(' ');
  return { ...(apiVersion ? { apiVersion } : {}), what: what || '(not an object)' };
}

/** The report of every non-empty document of files, with the load result's findings assigned to them. */
export function documentReports(files: SourceFile[], result: LoadResult): DocumentReport[] {
  const out: DocumentReport[] = [];
  for (const f of files) {
    const lines = new LineCounter();
    for (const doc of parseAllDocuments(f.content, { lineCounter: lines })) {
      if (!('contents' in doc) || doc.contents === null) continue;
      const [start, , end] = doc.range;
      const line = lines.linePos(doc.contents.range[0]).line;
      const endLine = lines.linePos(Math.max(start, end - 1)).line;
      const inside = (e: { file: string; line: number }) =>
        e.file === f.path && e.line >= line && e.line <= endLine;
      const { apiVersion, what } = describe(doc.toJS({ maxAliasCount: 100 }));
      const converted = result.converted?.find(inside);
      const errors = result.errors.filter(inside);
      const warnings = result.warnings.filter(inside);
      const outcome: Outcome = converted
        ? errors.length
          ? 'refused'
          : warnings.length
            ? 'converted with warnings'
            : 'converted'
        : apiVersion?.startsWith('sluice.dev/')
          ? 'sluice'
          : apiVersion && TOOL_GROUP.test(apiVersion)
            ? 'skipped'
            : 'kept';
      const became =
        converted && outcome !== 'refused'
          ? converted.objects.length + converted.manifests.length === 0
            ? ['(carried by the Applications converted with it)']
            : [
                ...converted.objects.map((o) => `${o.kind} ${o.name}`),
                ...converted.manifests.map(
                  (m) => `${String(m.kind)} ${String((m.metadata as { name?: unknown })?.name)}`,
                ),
              ]
          : [];
      out.push({
        file: f.path,
        line,
        endLine,
        text: f.content.slice(start, end),
        what: converted ? `${converted.label} ${converted.name ?? ''}`.trim() : what,
        outcome,
        became,
        ...(converted ? { converted } : {}),
        errors,
        warnings,
      });
    }
  }
  return out;
}
