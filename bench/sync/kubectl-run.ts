import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appManifests } from './manifests.js';

/** Timings of the kubectl phase: apply (namespace, then every app) and wait. */
export interface KubectlResult {
  applyMs: number;
  waitMs: number;
}

/** Writes the namespace and the N apps' manifests (with that namespace) as files under `dir`. */
export function writeBaselineManifests(dir: string, namespace: string, n: number): void {
  mkdirSync(dir, { recursive: true });
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

/** Runs kubectl with the given kubeconfig; rejects with the end of its output when it fails. */
function kubectl(bin: string, kubeconfig: string, cacheDir: string, args: string[]) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(bin, ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let tail = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      tail = `${tail}${chunk}`.slice(-4000);
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`kubectl ${args.join(' ')} exited ${code}:\n${tail}`)),
    );
  });
}

/**
 * Phase K: `kubectl apply --server-side` of the namespace, then of every app's files (-R), then
 * `kubectl wait --for=condition=Available` on every Deployment of the namespace, as user "bench-kubectl"
 * (its requests are counted from the audit log). A fresh discovery cache (`cacheDir`), as on a first run.
 */
export async function kubectlBaseline(
  bin: string,
  kubeconfig: string,
  dir: string,
  namespace: string,
  cacheDir: string,
  timeoutS: number,
): Promise<KubectlResult> {
  const run = (args: string[]) => kubectl(bin, kubeconfig, cacheDir, args);
  const t0 = performance.now();
  await run(['apply', '--server-side', '-f', join(dir, 'namespace.yaml')]);
  await run(['apply', '--server-side', '-R', '-f', join(dir, 'apps')]);
  const t1 = performance.now();
  await run([
    'wait',
    '--for=condition=Available',
    'deployment',
    '--all',
    '-n',
    namespace,
    `--timeout=${timeoutS}s`,
  ]);
  return { applyMs: t1 - t0, waitMs: performance.now() - t1 };
}
