// Everything the CLI writes passes one guard: text from outside (error messages, workflow status fields,
// table cells, a webhook's answer) cannot move the cursor, clear the screen, retitle the window or write
// the clipboard. main.ts installs it on stdout and stderr before any command runs, so console.log,
// console.error, commander's messages and every command are covered without escaping at each call site.
import { randomBytes } from 'node:crypto';

// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what is escaped
const controls = /\r(?!\n)|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/**
 * Shows C0 controls (but \n, \t and the \r of \r\n), DEL and C1 controls visibly as `\u001b` etc. The form
 * is a valid escape inside JSON strings and YAML double-quoted scalars, so -o json/yaml output keeps its meaning.
 */
export function escapeControls(text: string): string {
  return text.replace(controls, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// Sluice's own escape sequences (colours, `rollout watch` redrawing) are written as this marker, which no
// text from outside can contain (it is random per process); the guard escapes every control character
// first and only then turns the marker into ESC.
const escMarker = `\u{e000}${randomBytes(8).toString('hex')}\u{e001}`;
let guarded = false;

/** ESC followed by `sequence` (e.g. "[31m"), written by Sluice itself and let through by the guard. */
export function terminalCode(sequence: string): string {
  return `${guarded ? escMarker : '\x1b'}${sequence}`;
}

// Sluice's colour codes, raw (unguarded, e.g. commands run in-process by tests) or as the marker.
const ownColours = new RegExp(`(?:\\x1b|${escMarker})\\[[0-9;]*m`, 'g');

/** How many columns the text takes on a terminal once guarded: colour codes none, escaped controls their escapes. */
export function visibleWidth(text: string): number {
  return escapeControls(text.replace(ownColours, '')).length;
}

/** What the guard writes for `text`: controls escaped, Sluice's own codes restored. */
export function guardedText(text: string): string {
  return escapeControls(text).replaceAll(escMarker, '\x1b');
}

/** Installs the guard on the streams (default stdout and stderr), once per process; answers how to remove it. */
export function guardTerminal(
  streams: NodeJS.WritableStream[] = [process.stdout, process.stderr],
): () => void {
  if (guarded) return () => undefined;
  guarded = true;
  const originals = streams.map((stream) => [stream, stream.write] as const);
  for (const stream of streams) {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (typeof chunk === 'string') return write(guardedText(chunk), ...rest);
      if (chunk instanceof Uint8Array) {
        const done = rest.find((r) => typeof r === 'function');
        return write(guardedText(Buffer.from(chunk).toString('utf8')), 'utf8', ...(done ? [done] : []));
      }
      return write(chunk, ...rest);
    }) as typeof stream.write;
  }
  // Tests that share one process (vitest without isolation) put the streams back as they were.
  return () => {
    for (const [stream, write] of originals) stream.write = write;
    guarded = false;
  };
}
