import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { resolveInRepo } from './repo-path.js';

/** The file names kustomize looks for, in its order. */
export const kustomizationFiles = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

/** The built-in renderer for an Application without render options: kustomize for a kustomization, helm for a chart, else directory. */
export async function detectPlugin(
  repoRoot: string,
  path: string,
): Promise<'kustomize' | 'helm' | 'directory'> {
  const dir = await resolveInRepo(repoRoot, path, 'directory');
  // A kustomization wins over a Chart.yaml beside it, as in Argo CD's source discovery.
  if (kustomizationFiles.some((f) => existsSync(join(dir.real, f)))) return 'kustomize';
  if (existsSync(join(dir.real, 'Chart.yaml'))) return 'helm';
  return 'directory';
}
