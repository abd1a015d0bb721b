import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KubernetesObject } from '@kubernetes/client-node';
import { afterAll, expect } from 'vitest';
import type { RenderInput } from '../../../../plugins/renderers/renderer.js';

/** test/fixtures/renderers, used as the repository root of the fixture apps. */
export const fixtures = fileURLToPath(new URL('../../../fixtures/renderers/', import.meta.url));

/** A render input for an app at path in the fixtures repository (or another root). */
export function input(path: string, options: Record<string, unknown> = {}, repoRoot = fixtures): RenderInput {
  return { repoRoot, path, appName: 'shop', namespace: 'prod', options };
}

/** kind/name of each object, in order. */
export function names(objects: KubernetesObject[]): string[] {
  return objects.map((o) => `${o.kind}/${o.metadata?.name}`);
}

/** The object of a kind and name, failing the test when there is none. */
export function find(objects: KubernetesObject[], kind: string, name: string): KubernetesObject {
  const o = objects.find((x) => x.kind === kind && x.metadata?.name === name);
  expect(o, `${kind}/${name}`).toBeDefined();
  return o as KubernetesObject;
}

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory holding files given as { relative path: content }, removed after the test file. */
export function tempRepo(files: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'sluice-render-test-'));
  temps.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** The error a promise rejects with, failing the test when it resolves. */
export async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the promise to reject');
}
