#!/usr/bin/env node
// Entry point of the `sluice` command: runs the compiled CLI from dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
if (!existsSync(main)) {
  console.error(
    'sluice: dist/cli/main.js is missing. Run `npm ci` (it builds) or `npm run build` in the checkout.',
  );
  process.exit(2);
}
await import(main);
