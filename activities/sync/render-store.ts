import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';

/**
 * Rendered manifests on the worker's disk, keyed by everything that determines them (repository,
 * commit, path, render options, app, namespace). Workflows pass the key, not the objects: history
 * stays small, and any worker can re-render the same key after a crash and get the same objects.
 */
export class RenderStore {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
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
    writeFileSync(tmp, JSON.stringify(objects));
    renameSync(tmp, file);
  }
}
