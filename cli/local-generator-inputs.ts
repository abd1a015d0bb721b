// What `sluice validate` hands an ApplicationSet's generators: the local checkout's tree (as the worker
// reads the commit's: symlinks left out, nothing outside the root), the clusters named with --cluster, and
// no other repository (a git generator naming one is reported, not fetched).
import { execFileSync } from 'node:child_process';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import {
  type GeneratorCluster,
  type GeneratorInputs,
  gitNeeds,
  matcher,
  otherRepoKey,
  readsWatchedRepo,
} from '../schemas/loader/app-sets/inputs.js';
import type { SourceFile } from '../schemas/loader/index.js';

/** Most files listed: a generator over a huge folder is a mistake, not something to wait for. */
const MAX_FILES = 50_000;

/** The checkout a folder is in (git's top level), or the folder itself outside Git. */
export function checkoutRoot(path: string): string {
  const dir = resolve(path);
  try {
    return execFileSync('git', ['-C', dir, 'rev-parse', '--show-toplevel'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return dir;
  }
}

/** The checkout's origin URL, if it has one (git generators naming it read the local tree). */
function originUrl(root: string): string | undefined {
  try {
    return (
      execFileSync('git', ['-C', root, 'remote', 'get-url', 'origin'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim() || undefined
    );
  } catch {
    return undefined;
  }
}

/** Every regular file under root (paths with /), .git and symlinks left out. */
async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const name of (await readdir(dir)).sort()) {
      if (name === '.git') continue;
      const full = join(dir, name);
      const info = await lstat(full);
      if (info.isDirectory()) await walk(full);
      else if (info.isFile()) {
        if (out.length >= MAX_FILES)
          throw new Error(`${root}: more than ${MAX_FILES} files; validate a smaller checkout`);
        out.push(relative(root, full).split(sep).join('/'));
      }
    }
  };
  await walk(root);
  return out;
}

/** The generator inputs for files loaded from a local checkout. */
export async function localGeneratorInputs(
  files: SourceFile[],
  opts: { root: string; repoUrl?: string; clusters?: GeneratorCluster[]; maxFileBytes?: number },
): Promise<GeneratorInputs> {
  const inputs: GeneratorInputs = {
    repoUrl: opts.repoUrl ?? originUrl(opts.root),
    clusters: [{ name: 'in-cluster' }, ...(opts.clusters ?? [])],
  };
  const needs = gitNeeds(files);
  const local = needs.filter((n) => readsWatchedRepo(n.repoURL, inputs));
  if (local.length) {
    const all = await listFiles(opts.root);
    const wanted = matcher(local.flatMap((n) => n.fileGlobs));
    const contents: Record<string, string> = {};
    for (const f of all.filter(wanted)) {
      const full = join(opts.root, f);
      if ((await lstat(full)).size <= (opts.maxFileBytes ?? 1024 * 1024))
        contents[f] = await readFile(full, 'utf8');
    }
    inputs.repo = { files: all, contents };
  }
  for (const n of needs.filter((x) => !readsWatchedRepo(x.repoURL, inputs))) {
    inputs.others ??= {};
    inputs.others[otherRepoKey(n.repoURL as string, n.revision)] = {
      error: `sluice validate reads only the local checkout (${opts.root}); the worker reads ${n.repoURL} if the Project allows it (--repo-url names the checkout's URL)`,
    };
  }
  return inputs;
}
