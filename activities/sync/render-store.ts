import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';

/**
 * Rendered manifests on the worker's disk, keyed by everything that determines them (repository,
 * commit, path, render options, app, namespace). Workflows pass the key, not the objects: history
 * stays small, and any worker can re-render the same key after a crash and get the same objects.
 * Rendered objects include Secrets (decrypted from SOPS files too): the folder is the worker user's alone.
 */
export class RenderStore {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // A folder made by an older worker (or by hand) keeps its mode otherwise. One the worker does not own
    // (a volume prepared by someone else) is left as it is: each file is 0600 anyway.
    try {
      chmodSync(dir, 0o700);
    } catch {}
  }

  /** The key of a render input. */
  static key(input: unknown): string {
    return createHash('sha256').update(JSON.stringify(input)).digest('hex').slice(0, 32);
  }

  /** The stored objects, or undefined when this worker has not rendered that key. */
  get(key: string): KubernetesObject[] | undefined {
    const file = join(this.dir, `${key}.json`);
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as KubernetesObject[]) : undefined;
  }

  /** Stores objects atomically (write then rename). */
  put(key: string, objects: KubernetesObject[]): void {
    const file = join(this.dir, `${key}.json`);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(objects), { mode: 0o600 });
    renameSync(tmp, file);
  }
}
