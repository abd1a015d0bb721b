// Child-process entry of the floor (phase F): the least a client must do to put the N apps on the cluster —
// client-node with one keep-alive pool, 32 requests in flight, no client-side throttle — server-side applies
// every object and waits on a watch until every Deployment is Available. Its own process and credentials,
// so its CPU and its requests (audit log user "bench-floor") are its own.
import {
  type KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
  type V1Deployment,
  Watch,
} from '@kubernetes/client-node';
import { parse } from 'yaml';
import { PooledKubeConfig } from '../../activities/kube/pooled-kube-config.js';
import { pool } from '../lib/pool.js';
import { appManifests } from './manifests.js';

/** The driver's instructions (argv[2], JSON). */
export interface FloorConfig {
  kubeconfig: string;
  namespace: string;
  apps: number;
}

/** Messages between the driver and the floor process. */
export type FloorMessage =
  | { type: 'ready' }
  | { type: 'go' }
  | { type: 'done'; applyMs: number; totalMs: number }
  | { type: 'failed'; error: string };

const IN_FLIGHT = 32;
const config = JSON.parse(process.argv[2] ?? '{}') as FloorConfig;
const send = (m: FloorMessage) => process.send?.(m);

const kc = new PooledKubeConfig();
kc.loadFromFile(config.kubeconfig);
const unlimited = Number.MAX_SAFE_INTEGER;
kc.setLimits({
  qps: unlimited,
  burst: unlimited,
  writeQps: unlimited,
  writeBurst: unlimited,
  maxInFlight: IN_FLIGHT,
});
const objects = KubernetesObjectApi.makeApiClient(kc);
// Parsed before the clock starts: the floor is the cluster's cost, not YAML's.
const manifests: KubernetesObject[] = [];
for (let i = 0; i < config.apps; i++)
  for (const yaml of Object.values(appManifests(i, config.namespace)))
    manifests.push(parse(yaml) as KubernetesObject);

const available = (d: V1Deployment) =>
  (d.status?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1) &&
  (d.status?.conditions ?? []).some((c) => c.type === 'Available' && c.status === 'True');

/** Resolves when `apps` Deployments of the namespace have been seen Available (the watch starts first). */
async function watchAvailable(): Promise<{ done: Promise<void>; stop: () => void }> {
  const seen = new Set<string>();
  let resolve = () => {};
  let reject: (e: unknown) => void = () => {};
  const done = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const req = await new Watch(kc).watch(
    `/apis/apps/v1/namespaces/${config.namespace}/deployments`,
    {},
    (type: string, d: V1Deployment) => {
      const name = d.metadata?.name ?? '';
      if (type !== 'DELETED' && available(d)) seen.add(name);
      else seen.delete(name);
      if (seen.size >= config.apps) resolve();
    },
    (err: unknown) => (seen.size >= config.apps ? resolve() : reject(err ?? new Error('watch ended'))),
  );
  return { done, stop: () => req.abort() };
}

async function run(): Promise<void> {
  const t0 = performance.now();
  const watch = await watchAvailable();
  const apply = (obj: KubernetesObject) =>
    objects.patch(obj, undefined, undefined, 'bench-floor', true, PatchStrategy.ServerSideApply);
  await apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: config.namespace } });
  await pool(manifests, IN_FLIGHT, apply);
  const applyMs = performance.now() - t0;
  await watch.done;
  watch.stop();
  send({ type: 'done', applyMs, totalMs: performance.now() - t0 });
}

process.on('message', (m: FloorMessage) => {
  if (m.type !== 'go') return;
  run().catch((err: unknown) =>
    send({ type: 'failed', error: err instanceof Error ? err.message : String(err) }),
  );
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
