import { join } from 'node:path';
import type { StackConfig } from './config.js';

/** File locations inside the stack's data directory, in one place so up, down and status agree. */
export function stackPaths(config: StackConfig) {
  const d = config.dataDir;
  return {
    run: join(d, 'run'),
    logs: join(d, 'logs'),
    pidFile: (name: string) => join(d, 'run', `${name}.pid`),
    logFile: (name: string) => join(d, 'logs', `${name}.log`),
    temporalDb: join(d, 'temporal', 'temporal.db'),
    /** PostgreSQL's data dir; its unix socket lives there too. */
    postgresData: join(d, 'postgres'),
    /** The PostgreSQL-backed Temporal server's YAML config and dynamic config. */
    temporalServer: join(d, 'temporal-server'),
    etcdData: join(d, 'etcd'),
    kube: join(d, 'kubernetes'),
    kubeconfig: join(d, 'kubernetes', 'kubeconfig'),
    /** kube-apiserver's audit log (JSON lines, rotated by size beside it). */
    auditLog: join(d, 'logs', 'kube-apiserver-audit.log'),
    prometheus: join(d, 'prometheus'),
    prometheusTargets: join(d, 'prometheus', 'targets'),
    gitRoot: join(d, 'git'),
    gitUsers: join(d, 'git-users'),
    /** The CA and serving certificate of the stack's HTTPS servers (registry, chart repository). */
    pki: join(d, 'pki'),
    /** The registry's config, htpasswd, credentials and storage. */
    registry: join(d, 'registry'),
    /** The chart repository's credentials; its charts and index.yaml live in charts/ below it. */
    chartRepo: join(d, 'chart-repo'),
  };
}

/** Path helpers returned by stackPaths. */
export type StackPaths = ReturnType<typeof stackPaths>;
