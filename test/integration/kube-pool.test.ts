import dc from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import type { Socket } from 'node:net';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeClients } from '../../activities/kube/client.js';
import { clusterKubeConfig } from '../../activities/kube/cluster-config.js';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { stackPaths } from '../../scripts/stack/paths.js';

// Every HTTP request this process starts, by the socket it went out on: distinct TLS sockets are TLS handshakes.
const sockets = new Set<Socket>();
const onRequest = (message: unknown) => {
  const socket = (message as { request: ClientRequest }).request.socket;
  if (socket && (socket as Socket & { encrypted?: boolean }).encrypted) sockets.add(socket);
};
beforeAll(() => dc.subscribe('http.client.request.start', onRequest));
afterAll(() => dc.unsubscribe('http.client.request.start', onRequest));

const kubeconfig = stackPaths(loadStackConfig()).kubeconfig;

async function handshakesFor(read: () => Promise<unknown>, times: number): Promise<number> {
  sockets.clear();
  for (let i = 0; i < times; i++) await read();
  return sockets.size;
}

describe('one keep-alive connection pool per cluster, against the real kube-apiserver', () => {
  it('sends 20 sequential GETs of every Sluice client for the cluster over one TLS connection', async () => {
    const { objects, core } = kubeClients(kubeconfig);
    const secretsApi = clusterKubeConfig(kubeconfig).makeApiClient(CoreV1Api); // what the Kubernetes secret source uses
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } };
    let i = 0;
    const handshakes = await handshakesFor(() => {
      i++;
      if (i % 3 === 0) return objects.read(ns);
      if (i % 3 === 1) return core.readNamespace({ name: 'default' });
      return secretsApi.listNamespacedSecret({ namespace: 'default', limit: 1 });
    }, 20);
    expect(handshakes).toBe(1);
  });

  it('is needed: client-node on its own opens a TLS connection per request', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    const core = kc.makeApiClient(CoreV1Api);
    expect(await handshakesFor(() => core.readNamespace({ name: 'default' }), 20)).toBe(20);
  });
});

describe('discovery, against the real kube-apiserver', () => {
  it('asks for an API group version once when fifty lookups of it start at once (a first sync’s burst)', async () => {
    const { objects } = kubeClients(kubeconfig);
    const paths: string[] = [];
    const onStart = (message: unknown) => paths.push((message as { request: ClientRequest }).request.path);
    dc.subscribe('http.client.request.start', onStart);
    try {
      const found = await Promise.all(
        Array.from({ length: 50 }, () => objects.servedResource('apps/v1', 'Deployment')),
      );
      expect(new Set(found.map((r) => r.name))).toEqual(new Set(['deployments']));
    } finally {
      dc.unsubscribe('http.client.request.start', onStart);
    }
    expect(paths.filter((p) => p.startsWith('/apis/apps/v1'))).toEqual(['/apis/apps/v1']);
  });
});
