// Which SOPS-encrypted files a render reads, found in the read-only sources before anything is copied: every
// encrypted YAML, JSON, .env or .ini file under a directory or plugin source's path, under every kustomization
// a kustomize source builds on (its Secrets and the files its generators read, as kustomize-controller
// decrypts them), and a helm source's valueFiles — its own, and "$<ref>/…" files of another source's checkout.

import { readFile } from 'node:fs/promises';
import { basename, posix, relative, sep } from 'node:path';
import { parseValueFileRef, type ValueFileRef, ValueFileRefError } from '../../core/sync/value-file-ref.js';
import { detectPlugin } from '../../plugins/renderers/detect.js';
import { KustomizationGraph } from '../../plugins/renderers/kustomize-graph.js';
import { resolveInRepo } from '../../plugins/renderers/repo-path.js';
import { formatOf, isEncrypted } from '../../plugins/renderers/sops/format.js';
import { walkFiles } from '../../plugins/renderers/walk.js';
import type { RenderSpec } from '../../schemas/types.generated.js';

/** One source a render reads: its files' root (a checkout, or an unpacked chart), the path in it, its render options. */
export interface DecryptTarget {
  root: string;
  path: string;
  /** undefined: detected from the files, as the render does. */
  render?: RenderSpec;
}

/** What every target of one render shares. */
export interface DecryptScope {
  /** The root of each source with a ref, for "$<ref>/…" value files. */
  refRoots?: Record<string, string>;
  /** Remote kustomize bases the administrator allows (they are not walked: they are not in the repository). */
  kustomizeRemoteBases: readonly string[];
}

/** An encrypted file: the root it belongs to (as the caller named it), its path below that root, its name for messages. */
export interface EncryptedFile {
  root: string;
  /** Relative to the root resolved through symlinks, '/' separated: the same path in a verbatim copy of the root. */
  inRoot: string;
  /** The file as a person finds it ("apps/web/secret.yaml", "$values/secrets.yaml"). */
  shown: string;
}

/** The SOPS-encrypted files a render of the targets reads, each once, refusing any symlink that leaves its root. */
export async function encryptedFiles(
  targets: DecryptTarget[],
  scope: DecryptScope,
): Promise<EncryptedFile[]> {
  const found = new Map<string, EncryptedFile>();
  const consider = async (root: string, realRoot: string, real: string, shown: string) => {
    const format = formatOf(basename(real));
    if (!format || found.has(real)) return;
    if (isEncrypted(await readFile(real, 'utf8'), format))
      found.set(real, { root, inRoot: relative(realRoot, real).split(sep).join('/'), shown });
  };
  for (const target of targets) {
    const app = await resolveInRepo(target.root, target.path, 'directory');
    const walk = async (dir: string, rel: string) => {
      for await (const f of walkFiles(app.root, dir, { recurse: true, hidden: false }))
        await consider(target.root, app.root, f.real, rel === '.' ? f.rel : `${rel}/${f.rel}`);
    };
    const plugin = target.render?.plugin ?? (await detectPlugin(target.root, target.path));
    if (plugin === 'helm') {
      const valueFiles = (target.render as { valueFiles?: string[] } | undefined)?.valueFiles ?? [];
      for (const v of valueFiles) {
        // URLs and unknown refs are refused by the helm renderer itself; here they are simply not files to decrypt.
        if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) continue;
        const ref = refOf(v);
        if (ref === null) continue;
        const refRoot = ref ? scope.refRoots?.[ref.ref] : undefined;
        if (ref && refRoot === undefined) continue;
        if (ref && refRoot !== undefined) {
          const file = await resolveInRepo(refRoot, ref.path, 'file');
          await consider(refRoot, file.root, file.real, `$${ref.ref}/${file.rel}`);
          continue;
        }
        const file = await resolveInRepo(target.root, posix.join(app.rel, v), 'file');
        await consider(target.root, file.root, file.real, file.rel);
      }
    } else if (plugin === 'kustomize') {
      const graph = new KustomizationGraph(app.root, scope.kustomizeRemoteBases);
      await graph.check(app.real);
      for (const folder of graph.folders()) await walk(folder, relOf(app.root, folder));
    } else {
      await walk(app.real, app.rel);
    }
  }
  return [...found.values()];
}

// A malformed "$ref/…" is the helm renderer's to report (the loader refuses it before that): not a file here.
function refOf(file: string): ValueFileRef | undefined | null {
  try {
    return parseValueFileRef(file);
  } catch (err) {
    if (err instanceof ValueFileRefError) return null;
    throw err;
  }
}

function relOf(root: string, real: string): string {
  return real === root ? '.' : relative(root, real).split(sep).join('/');
}
