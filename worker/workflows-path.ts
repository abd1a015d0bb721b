import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Path of a module under workflows/ for the bundler: TypeScript source under tests, compiled JS from dist. */
function workflowsModule(name: string): string {
  for (const rel of [`../workflows/${name}.ts`, `../workflows/${name}.js`]) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error(`cannot find workflows/${name}.ts or dist/workflows/${name}.js: run \`npm run build\``);
}

/** Path of the workflows entry point for the bundler. */
export function workflowsPath(): string {
  return workflowsModule('index');
}

/** Path of the module that attaches each workflow's versioning behaviour (versioned workers only). */
export function versionedWorkflowsModule(): string {
  return workflowsModule('shared/versioned');
}
