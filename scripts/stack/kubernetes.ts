import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StackContext } from './context.js';
import { type ControllerMode, controllerModeArgs, runningControllerMode } from './controller-mode.js';
import { httpsOk } from './https-get.js';
import { auditArgs } from './kube-audit.js';
import { benchClientUsers, ensureKubeClient } from './kube-clients.js';
import { ensureKubePki, type KubePki } from './kube-pki.js';
import { ensureKwokNodes, readyNodeCount } from './kwok-nodes.js';
import { isRunning, type ManagedProcess, startDetached, stopRecorded } from './processes.js';
import { waitUntil } from './wait.js';

/** Kubeconfig path, Ready node count and health of the local control plane. */
export interface KubernetesStatus {
  kubeconfig: string;
  nodes: number;
  /** How the running kube-controller-manager is tuned (`dev up --fast-controller`). */
  controller?: ControllerMode;
  healthy: boolean;
}

/** Names of the processes this component starts, in start order. */
export const kubernetesProcesses = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kwok',
];

/** API server URL of the local cluster. */
export function apiserverUrl(ctx: StackContext): string {
  return `https://${ctx.config.host}:${ctx.config.ports.apiserver}`;
}

/**
 * Starts etcd, the control plane and kwok, writes the kubeconfigs and registers the simulated nodes. With a
 * controller mode, a running controller-manager in the other mode is restarted in this one.
 */
export async function startKubernetes(ctx: StackContext, controller?: ControllerMode): Promise<void> {
  const pki = ensureKubePki(join(ctx.paths.kube, 'pki'));
  writeKubeconfig(ctx, pki);
  for (const user of benchClientUsers) ensureKubeClient(ctx.paths.kube, apiserverUrl(ctx), user);
  const commands = kubernetesCommands(ctx, pki, controller ?? 'default');
  for (const proc of commands) {
    const running = isRunning(ctx.paths, proc.name, proc.command);
    const switching =
      running &&
      proc.name === 'kube-controller-manager' &&
      controller !== undefined &&
      runningControllerMode(ctx.paths) !== controller;
    if (switching) {
      ctx.progress(`${proc.name}: restarting in ${controller} mode`);
      await stopRecorded(ctx.paths, proc.name);
    } else if (running) {
      ctx.progress(`${proc.name}: already running`);
      continue;
    }
    ctx.progress(`${proc.name}: starting (log: ${ctx.paths.logFile(proc.name)})`);
    startDetached(ctx.paths, proc);
    await waitUntil(proc.name, readiness(ctx, proc.name, pki), {
      timeoutMs: 90_000,
      progress: ctx.progress,
      logFile: ctx.paths.logFile(proc.name),
      stillAlive: () => isRunning(ctx.paths, proc.name, proc.command),
    });
  }
  await ensureKwokNodes(ctx.paths.kubeconfig, ctx.config.kwokNodes);
  await waitUntil(
    `kubernetes: ${ctx.config.kwokNodes} Ready nodes`,
    async () => (await readyNodeCount(ctx.paths.kubeconfig)) >= ctx.config.kwokNodes,
    {
      timeoutMs: 60_000,
      progress: ctx.progress,
      logFile: ctx.paths.logFile('kwok'),
    },
  );
}

/** Reports the kubeconfig, how many nodes are Ready, and whether the API server is ready with ≥1 Ready node. */
export async function kubernetesStatus(ctx: StackContext): Promise<KubernetesStatus> {
  const pkiDir = join(ctx.paths.kube, 'pki');
  const ready = await httpsOk(`${apiserverUrl(ctx)}/readyz`, join(pkiDir, 'ca.crt'));
  const nodes = ready ? await readyNodeCount(ctx.paths.kubeconfig).catch(() => 0) : 0;
  const controllersUp = ['kube-controller-manager', 'kube-scheduler', 'kwok'].every((n) =>
    isRunning(ctx.paths, n, ctx.tool(n)),
  );
  const controller = runningControllerMode(ctx.paths);
  return {
    kubeconfig: ctx.paths.kubeconfig,
    nodes,
    ...(controller ? { controller } : {}),
    healthy: ready && controllersUp && nodes >= ctx.config.kwokNodes,
  };
}

function readiness(ctx: StackContext, name: string, pki: KubePki): () => Promise<boolean> {
  const { host, ports } = ctx.config;
  switch (name) {
    case 'etcd':
      return () => fetch(`http://${host}:${ports.etcdClient}/health`).then((r) => r.ok);
    case 'kube-apiserver':
      return () => httpsOk(`${apiserverUrl(ctx)}/readyz`, pki.caCert);
    case 'kube-controller-manager':
      return () => httpsOk(`https://${host}:${ports.controllerManager}/healthz`);
    case 'kube-scheduler':
      return () => httpsOk(`https://${host}:${ports.scheduler}/healthz`);
    case 'kwok':
      return () => fetch(`http://${host}:${ports.kwok}/healthz`).then((r) => r.ok);
    default:
      throw new Error(`no readiness check for ${name}`);
  }
}

function writeKubeconfig(ctx: StackContext, pki: KubePki): void {
  mkdirSync(ctx.paths.kube, { recursive: true });
  const kubeconfig = `apiVersion: v1
kind: Config
clusters:
- name: sluice-dev
  cluster:
    server: ${apiserverUrl(ctx)}
    certificate-authority: ${pki.caCert}
users:
- name: sluice-admin
  user:
    token: ${pki.token}
contexts:
- name: sluice-dev
  context: {cluster: sluice-dev, user: sluice-admin}
current-context: sluice-dev
`;
  writeFileSync(ctx.paths.kubeconfig, kubeconfig, { mode: 0o600 });
}

function kubernetesCommands(ctx: StackContext, pki: KubePki, controller: ControllerMode): ManagedProcess[] {
  const { host, ports } = ctx.config;
  const kubeconfig = ctx.paths.kubeconfig;
  return [
    {
      name: 'etcd',
      command: ctx.tool('etcd'),
      args: [
        '--name=sluice-dev',
        `--data-dir=${ctx.paths.etcdData}`,
        `--listen-client-urls=http://${host}:${ports.etcdClient}`,
        `--advertise-client-urls=http://${host}:${ports.etcdClient}`,
        `--listen-peer-urls=http://${host}:${ports.etcdPeer}`,
        `--initial-advertise-peer-urls=http://${host}:${ports.etcdPeer}`,
        `--initial-cluster=sluice-dev=http://${host}:${ports.etcdPeer}`,
        '--log-level=warn',
        // A dev cluster: trade durability of the last writes for speed.
        '--unsafe-no-fsync',
      ],
    },
    {
      name: 'kube-apiserver',
      command: ctx.tool('kube-apiserver'),
      args: [
        `--etcd-servers=http://${host}:${ports.etcdClient}`,
        `--bind-address=${host}`,
        `--advertise-address=${host}`,
        // Loopback may not be an Endpoints address; nothing in the cluster dials the API server's Service anyway.
        '--endpoint-reconciler-type=none',
        `--secure-port=${ports.apiserver}`,
        `--tls-cert-file=${pki.serverCert}`,
        `--tls-private-key-file=${pki.serverKey}`,
        `--client-ca-file=${pki.caCert}`,
        `--token-auth-file=${pki.tokenFile}`,
        `--service-account-key-file=${pki.saPub}`,
        `--service-account-signing-key-file=${pki.saKey}`,
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        '--service-cluster-ip-range=10.96.0.0/16',
        '--authorization-mode=Node,RBAC',
        '--allow-privileged=true',
        '--profiling=false',
        `--cert-dir=${join(ctx.paths.kube, 'apiserver-certs')}`,
        // Who made which request: the benchmark attributes reads and writes per client from this log.
        ...auditArgs(ctx.paths.kube, ctx.paths.auditLog),
      ],
    },
    {
      name: 'kube-controller-manager',
      command: ctx.tool('kube-controller-manager'),
      args: [
        `--kubeconfig=${kubeconfig}`,
        `--authentication-kubeconfig=${kubeconfig}`,
        `--authorization-kubeconfig=${kubeconfig}`,
        `--bind-address=${host}`,
        `--secure-port=${ports.controllerManager}`,
        '--leader-elect=false',
        `--service-account-private-key-file=${pki.saKey}`,
        `--root-ca-file=${pki.caCert}`,
        '--controllers=*',
        '--profiling=false',
        `--cert-dir=${join(ctx.paths.kube, 'controller-manager-certs')}`,
        ...controllerModeArgs(controller),
      ],
    },
    {
      name: 'kube-scheduler',
      command: ctx.tool('kube-scheduler'),
      args: [
        `--kubeconfig=${kubeconfig}`,
        `--authentication-kubeconfig=${kubeconfig}`,
        `--authorization-kubeconfig=${kubeconfig}`,
        `--bind-address=${host}`,
        `--secure-port=${ports.scheduler}`,
        '--leader-elect=false',
        '--profiling=false',
        `--cert-dir=${join(ctx.paths.kube, 'scheduler-certs')}`,
      ],
    },
    {
      name: 'kwok',
      command: ctx.tool('kwok'),
      args: [
        `--kubeconfig=${kubeconfig}`,
        `--config=${ctx.tool('kwok-stages.yaml')}`,
        '--manage-all-nodes=false',
        '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
        '--manage-nodes-with-label-selector=',
        '--manage-single-node=',
        '--cidr=10.0.0.0/24',
        '--node-ip=10.0.0.1',
        '--node-lease-duration-seconds=40',
        `--server-address=${host}:${ports.kwok}`,
      ],
    },
  ];
}
