import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Path of the workflows entry point for the bundler: TypeScript source under tests, compiled JS from dist. */
export function workflowsPath(): string {
  for (const rel of ['../workflows/index.ts', '../workflows/index.js']) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error('cannot find workflows/index.ts or dist/workflows/index.js: run `npm run build`');
}
