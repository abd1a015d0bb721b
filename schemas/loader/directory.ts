// Reads pipeline files from disk for loadPipelineFiles: *.yaml and *.yml under a directory.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { loadPipelineFiles } from './load.js';
import { fileTooLarge } from './parse.js';
import {
  defaultMaxFileBytes,
  type LoadError,
  type LoadOptions,
  type LoadResult,
  type SourceFile,
} from './types.js';

const skipped = new Set(['.git', 'node_modules']);

/** Every *.yaml / *.yml file under dir, sorted; symlinked directories are not followed (no cycles). */
export async function findPipelineFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skipped.has(entry.name)) out.push(...(await findPipelineFiles(path)));
    } else if ((entry.isFile() || entry.isSymbolicLink()) && /\.ya?ml$/i.test(entry.name)) out.push(path);
  }
  return out.sort();
}

/** Reads files, reporting the ones over the size limit without reading them; `name` gives each its reported path. */
export async function readSourceFiles(
  paths: string[],
  name: (path: string) => string,
  opts: LoadOptions = {},
): Promise<{ files: SourceFile[]; errors: LoadError[] }> {
  const limit = opts.maxFileBytes ?? defaultMaxFileBytes;
  const files: SourceFile[] = [];
  const errors: LoadError[] = [];
  for (const path of paths) {
    const { size } = await stat(path);
    if (size > limit) errors.push(fileTooLarge(name(path), size, limit));
    else files.push({ path: name(path), content: await readFile(path, 'utf8') });
  }
  return { files, errors };
}

/** Loads every pipeline file under dir (skipping .git and node_modules); paths are reported relative to dir. */
export async function loadPipelineDirectory(dir: string, opts: LoadOptions = {}): Promise<LoadResult> {
  const { files, errors } = await readSourceFiles(
    await findPipelineFiles(dir),
    (p) => relative(dir, p).split(sep).join('/'),
    opts,
  );
  const result = loadPipelineFiles(files, opts);
  result.errors.unshift(...errors);
  return result;
}
