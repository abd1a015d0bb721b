import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import { stringify } from 'yaml';

/** How a unified diff is laid out and bounded. */
export interface DiffFormatOptions {
  /** Unchanged lines shown around each change (default 3). */
  context?: number;
  /** Lines kept before the rest is replaced by "… N more lines" (default 200). */
  maxLines?: number;
  /** Characters kept of one line (default 300): one huge value must not fill the history. */
  maxLineLength?: number;
}

// Myers' diff costs O(N·D); past this many edits the sides are simply too different to show usefully.
const MAX_EDIT_LENGTH = 1_000;

/** YAML of an object with sorted keys, so field order never shows as a difference; empty for none. */
export function toYaml(obj: unknown): string {
  return obj === undefined ? '' : stringify(obj, { sortMapEntries: true, lineWidth: 0 });
}

/** A unified diff from `live` to `desired` (either may be absent) under `--- live <name>` / `+++ desired <name>`, bounded in size. */
export function unifiedDiff(
  name: string,
  live: unknown,
  desired: unknown,
  opts: DiffFormatOptions = {},
): string {
  const maxLines = opts.maxLines ?? 200;
  const maxLineLength = opts.maxLineLength ?? 300;
  const [before, after] = [toYaml(live), toYaml(desired)];
  const headers = `--- live ${name}\n+++ desired ${name}\n`;
  // One side empty: every line is added or removed, so there is nothing for Myers' diff to search.
  if (!before || !after) {
    const lines = (before || after).split('\n').slice(0, -1);
    const hunk = before ? `@@ -1,${lines.length} +0,0 @@` : `@@ -0,0 +1,${lines.length} @@`;
    const sign = before ? '-' : '+';
    return bound(`${headers}${hunk}\n${lines.map((l) => sign + l).join('\n')}\n`, maxLines, maxLineLength);
  }
  const patch = createTwoFilesPatch(`live ${name}`, `desired ${name}`, before, after, undefined, undefined, {
    context: opts.context ?? 3,
    headerOptions: FILE_HEADERS_ONLY,
    maxEditLength: MAX_EDIT_LENGTH,
  });
  if (patch === undefined) return `${headers}… more than ${MAX_EDIT_LENGTH} lines differ\n`;
  return bound(patch, maxLines, maxLineLength);
}

/** Keeps the first maxLines lines, each cut to maxLineLength characters, and says how many were left out. */
export function bound(text: string, maxLines: number, maxLineLength: number): string {
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  const kept = lines
    .slice(0, maxLines)
    .map((l) => (l.length > maxLineLength ? `${l.slice(0, maxLineLength)}…` : l));
  if (lines.length > maxLines) kept.push(`… ${lines.length - maxLines} more lines`);
  return `${kept.join('\n')}\n`;
}
