import type { SluiceKind } from '../kinds.js';
import type { Issue } from './issue.js';
import { locate } from './locate.js';
import type { OriginMap } from './origin.js';
import type { ParsedDocument } from './parse.js';
import { formatPath, type Path, valueAt } from './path.js';
import type { GeneratedBy, LoadError } from './types.js';

/** A Sluice-shaped document about to be validated: written as Sluice, or converted (with its origin). */
export interface Candidate {
  kind: SluiceKind;
  value: Record<string, unknown>;
  doc: ParsedDocument;
  origin?: OriginMap;
  /** Original fields the converter already reported errors at. */
  reported?: Path[];
  /** An Application an ApplicationSet generated (doc is the set's, origin points into its template). */
  generated?: GeneratedBy;
}

/** Locates an issue whose paths are in doc's own terms. */
export function errorIn(doc: ParsedDocument, issue: Issue): LoadError {
  const { line, col } = locate(doc.doc, doc.lines, issue.at, issue.prefer);
  return {
    file: doc.file,
    line,
    col,
    field: formatPath(issue.field),
    message: issue.message,
    ...(issue.hint ? { hint: issue.hint } : {}),
  };
}

/** Locates an issue found on a candidate; for a converted one, at the original field it came from. */
export function errorOf(c: Candidate, issue: Issue): LoadError {
  if (!c.origin) return errorIn(c.doc, issue);
  const message = c.generated
    ? `generated Application ${JSON.stringify(valueAt(c.value, ['metadata', 'name']))} (${c.generated.element}): ${issue.message}`
    : issue.message;
  return errorIn(c.doc, {
    ...issue,
    message,
    field: c.origin.resolve(issue.field),
    at: c.origin.resolve(issue.at),
  });
}
