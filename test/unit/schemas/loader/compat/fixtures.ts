import { readFileSync } from 'node:fs';
import { loadPipelineFiles } from '../../../../../schemas/loader/index.js';

/** Loads fixture files from test/fixtures/pipeline-files/compat by name. */
export function loadCompat(...names: string[]) {
  const dir = new URL('../../../../fixtures/pipeline-files/compat/', import.meta.url);
  return loadPipelineFiles(names.map((n) => ({ path: n, content: readFileSync(new URL(n, dir), 'utf8') })));
}
