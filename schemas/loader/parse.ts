import { type Document, isScalar, LineCounter, parseAllDocuments } from 'yaml';
import { locate, pathOfKeyAt } from './locate.js';
import { formatPath } from './path.js';
import {
  defaultMaxAliasCount,
  defaultMaxFileBytes,
  type LoadError,
  type LoadOptions,
  type SourceFile,
} from './types.js';

/** One non-empty YAML document of a file, with the tree that locates its fields. */
export interface ParsedDocument {
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
  value: unknown;
  /** Line where the document's content starts. */
  line: number;
}

/** The documents of one file, and the problems that kept others from being read. */
export interface ParsedFile {
  documents: ParsedDocument[];
  errors: LoadError[];
  warnings: LoadError[];
  empty: boolean;
}

/** The error for a file over the size limit; reported without parsing (or even reading) it. */
export function fileTooLarge(file: string, bytes: number, limit: number): LoadError {
  return {
    file,
    line: 1,
    col: 1,
    field: '',
    message: `file is ${bytes} bytes, over the ${limit}-byte limit`,
    hint: 'pipeline files are small; raise maxFileBytes if this one really is one',
  };
}

function isEmptyDocument(doc: Document.Parsed): boolean {
  return doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null);
}

/** Parses every YAML document of a file, keeping positions; YAML errors are reported, not thrown. */
export function parseFile(source: SourceFile, opts: LoadOptions = {}): ParsedFile {
  const limit = opts.maxFileBytes ?? defaultMaxFileBytes;
  // TextEncoder rather than Buffer: this module uses no Node built-ins, so any runtime can load files.
  const bytes = new TextEncoder().encode(source.content).length;
  const result: ParsedFile = { documents: [], errors: [], warnings: [], empty: true };
  if (bytes > limit) {
    result.errors.push(fileTooLarge(source.path, bytes, limit));
    result.empty = false;
    return result;
  }
  const lines = new LineCounter();
  // uniqueKeys makes a repeated key an error; merge keys (<<) are read as Kubernetes' YAML reads them.
  const docs = parseAllDocuments(source.content, {
    lineCounter: lines,
    uniqueKeys: true,
    merge: true,
    prettyErrors: false,
  });
  for (const doc of docs) {
    const at = (offset: number) => lines.linePos(offset);
    for (const w of doc.warnings) {
      const { line, col } = at(w.pos[0]);
      result.warnings.push({ file: source.path, line, col, field: '', message: `YAML: ${w.message}` });
    }
    if (doc.errors.length > 0) {
      result.empty = false;
      for (const e of doc.errors) {
        const { line, col } = at(e.pos[0]);
        if (e.code === 'DUPLICATE_KEY') {
          const path = pathOfKeyAt(doc, e.pos[0]) ?? [];
          const key = String(path.at(-1) ?? source.content.slice(e.pos[0], e.pos[1]));
          const first = path.length ? locate(doc, lines, path, 'key') : undefined;
          result.errors.push({
            file: source.path,
            line,
            col,
            field: formatPath(path),
            message: `duplicate key ${JSON.stringify(key)}`,
            ...(first && first.line !== line ? { hint: `first set at line ${first.line}` } : {}),
          });
        } else {
          const message = e.message.split('\n')[0] ?? e.message;
          result.errors.push({
            file: source.path,
            line,
            col,
            field: '',
            message: `YAML syntax error: ${message}`,
          });
        }
      }
      continue;
    }
    if (isEmptyDocument(doc)) continue;
    result.empty = false;
    const start = at(doc.contents?.range?.[0] ?? doc.range[0]);
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: opts.maxAliasCount ?? defaultMaxAliasCount });
    } catch (err) {
      result.errors.push({
        file: source.path,
        line: start.line,
        col: start.col,
        field: '',
        message: `YAML aliases expand too much (${(err as Error).message})`,
        hint: `at most ${opts.maxAliasCount ?? defaultMaxAliasCount} alias expansions per document`,
      });
      continue;
    }
    result.documents.push({ file: source.path, doc, lines, value, line: start.line });
  }
  return result;
}
