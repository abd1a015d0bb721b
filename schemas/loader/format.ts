import type { LoadError } from './types.js';

/** Formats an error as `file:line:col: field: message (hint)`, the form editors and CI logs link. */
export function formatLoadError(e: LoadError): string {
  const field = e.field ? `${e.field}: ` : '';
  const hint = e.hint ? ` (${e.hint})` : '';
  return `${e.file}:${e.line}:${e.col}: ${field}${e.message}${hint}`;
}
