import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requestKey } from '../lib/request-key.js';
import type { BenchStack } from '../lib/stack.js';
import { appManifests } from './manifests.js';

/** Timings and client-side request counts of the kubectl baseline. */
export interface KubectlResult {
  applyMs: number;
  waitMs: number;
  /** Requests kubectl made by request key, from its own -v=6 log (one "Response" line per request). */
  counts: Record<string, number>;
}

/** Writes the namespace and the N apps' manifests (with that namespace) as files under `dir`. */
export function writeBaselineManifests(dir: string, namespace: string, n: number): void {
  writeFileSync(
    join(dir, 'namespace.yaml'),
    `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${namespace}\n`,
  );
  for (let i = 0; i < n; i++) {
    const app = join(dir, 'apps', `app-${i}`);
    mkdirSync(app, { recursive: true });
    for (const [file, yaml] of Object.entries(appManifests(i, namespace)))
      writeFileSync(join(app, file), yaml);
  }
}

/** Runs kubectl with the stack's kubeconfig, counting its requests; rejects with its output when it fails. */
function kubectl(stack: BenchStack, cacheDir: string, args: string[], counts: Record<string, number>) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(
      stack.kubectl,
      ['--kubeconfig', stack.kubeconfig, '--cache-dir', cacheDir, '-v=6', ...args],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let tail = '';
    let partial = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const m = /"Response" verb="([A-Z]+)" url="([^"]+)"/.exec(line);
        if (!m) {
          tail = `${tail}${line}\n`.slice(-4000);
          continue;
        }
        const url = new URL(m[2] as string);
        const key = requestKey(m[1] as string, `${url.pathname}${url.search}`);
        counts[key] = (counts[key] ?? 0) + 1;
      }
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`kubectl ${args.join(' ')} exited ${code}:\n${tail}`)),
    );
  });
}

/**
 * The baseline: `kubectl apply --server-side` of the namespace, then of every app's files (-R), then
 * `kubectl wait --for=condition=Available` on every Deployment of the namespace. A fresh discovery
 * cache (`cacheDir`), so kubectl's discovery requests are counted as on a first run.
 */
export async function kubectlBaseline(
  stack: BenchStack,
  dir: string,
  namespace: string,
  cacheDir: string,
  timeoutS: number,
): Promise<KubectlResult> {
  const counts: Record<string, number> = {};
  const t0 = performance.now();
  await kubectl(stack, cacheDir, ['apply', '--server-side', '-f', join(dir, 'namespace.yaml')], counts);
  await kubectl(stack, cacheDir, ['apply', '--server-side', '-R', '-f', join(dir, 'apps')], counts);
  const t1 = performance.now();
  await kubectl(
    stack,
    cacheDir,
    ['wait', '--for=condition=Available', 'deployment', '--all', '-n', namespace, `--timeout=${timeoutS}s`],
    counts,
  );
  return { applyMs: t1 - t0, waitMs: performance.now() - t1, counts };
}
