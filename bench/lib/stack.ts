import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { type StackPaths, stackPaths } from '../../scripts/stack/paths.js';

/** The running local stack as a benchmark sees it: endpoints, the admin credentials and the tools. */
export interface BenchStack {
  dataDir: string;
  temporalAddress: string;
  kubeconfig: string;
  apiserver: { host: string; port: number; token: string; ca: Buffer };
  kubectl: string;
  gitRoot: string;
  /** Where the stack records its processes' pids (`<name>.pid`). */
  runDir: string;
  /** Every file location of the stack (audit log, pid files, kubeconfigs). */
  paths: StackPaths;
  /** The HTTP URL the stack's Git server serves a repository under gitRoot at. */
  gitUrl: (relPath: string) => string;
}

/** Reads the stack's configuration (SLUICE_DATA_DIR, SLUICE_PORT_*) and its admin kubeconfig. */
export function benchStack(): BenchStack {
  const config = loadStackConfig();
  const paths = stackPaths(config);
  const kc = new KubeConfig();
  kc.loadFromFile(paths.kubeconfig);
  const cluster = kc.getCurrentCluster();
  const token = kc.getCurrentUser()?.token;
  if (!cluster?.caFile || !token) {
    throw new Error(`${paths.kubeconfig} has no CA file or token: is the local stack up (sluice dev up)?`);
  }
  const server = new URL(cluster.server);
  return {
    dataDir: config.dataDir,
    temporalAddress: `${config.host}:${config.ports.temporal}`,
    kubeconfig: paths.kubeconfig,
    apiserver: { host: server.hostname, port: Number(server.port), token, ca: readFileSync(cluster.caFile) },
    kubectl: join(config.toolsBin, 'kubectl'),
    gitRoot: paths.gitRoot,
    runDir: paths.run,
    paths,
    gitUrl: (rel) => `http://${config.host}:${config.ports.git}/${rel}`,
  };
}
