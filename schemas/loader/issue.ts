import type { Path } from './path.js';

/** A problem at a field of a document, before it is given a file, line and column. */
export interface Issue {
  /** The field the message is about. */
  field: Path;
  /** Where to point: the field itself, or its parent for a missing field. */
  at: Path;
  /** Point at the field's key (unknown or missing fields) or at its value (wrong values). */
  prefer: 'key' | 'value';
  message: string;
  hint?: string;
}

/** An issue pointing at the field itself (its value unless `prefer` says its key). */
export function fieldIssue(
  field: Path,
  message: string,
  hint?: string,
  prefer: Issue['prefer'] = 'value',
): Issue {
  return { field, at: field, prefer, message, ...(hint ? { hint } : {}) };
}
