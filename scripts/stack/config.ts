import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Ports of every local-stack component; each can be overridden by an environment variable. */
export interface StackPorts {
  temporal: number;
  temporalUi: number;
  /** PostgreSQL, in `--temporal postgres` mode. */
  postgres: number;
  /**
   * First of the 9 consecutive ports the PostgreSQL-backed Temporal server uses inside (history, matching and
   * worker gRPC + membership, frontend membership and HTTP, metrics); the frontend keeps `temporal`.
   */
  temporalInternal: number;
  etcdClient: number;
  etcdPeer: number;
  apiserver: number;
  controllerManager: number;
  scheduler: number;
  kwok: number;
  prometheus: number;
  git: number;
  /** The OCI registry (HTTPS, htpasswd auth). */
  registry: number;
  /** The Helm chart repository (HTTPS, basic auth, ChartMuseum-style upload API). */
  chartRepo: number;
  /** A second OCI registry that takes only bearer tokens from the token server (Docker's token auth). */
  tokenRegistry: number;
  /** The token server (HTTPS) that issues the token registry's tokens. */
  tokenServer: number;
}

/** Which Temporal the stack runs: the CLI's dev server (SQLite, the default) or the server on PostgreSQL. */
export type TemporalMode = 'dev' | 'postgres';

/** The Temporal modes, for option parsing and messages. */
export const temporalModes: readonly TemporalMode[] = ['dev', 'postgres'];

/** Where the local stack keeps its data and finds its tools, and the ports it listens on. */
export interface StackConfig {
  dataDir: string;
  /** From SLUICE_TEMPORAL or `dev up --temporal`. */
  temporal: TemporalMode;
  toolsBin: string;
  host: string;
  ports: StackPorts;
  kwokNodes: number;
}

const defaultPorts: StackPorts = {
  temporal: 7233,
  temporalUi: 8233,
  postgres: 15432,
  temporalInternal: 17234,
  etcdClient: 12379,
  etcdPeer: 12380,
  apiserver: 16443,
  controllerManager: 10257,
  scheduler: 10259,
  kwok: 10247,
  prometheus: 9090,
  git: 8180,
  registry: 15000,
  chartRepo: 18443,
  tokenRegistry: 15001,
  tokenServer: 15443,
};

/** Environment variable that overrides each port, e.g. SLUICE_PORT_TEMPORAL_UI. */
export function portEnvName(key: keyof StackPorts): string {
  return `SLUICE_PORT_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

/** Reads the stack configuration from the environment, falling back to the documented defaults. */
export function loadStackConfig(env: NodeJS.ProcessEnv = process.env): StackConfig {
  const ports = { ...defaultPorts };
  for (const key of Object.keys(ports) as (keyof StackPorts)[]) {
    const raw = env[portEnvName(key)];
    if (raw === undefined || raw === '') continue;
    const port = Number(raw);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new Error(`${portEnvName(key)}=${raw} is not a TCP port (1-65535)`);
    }
    ports[key] = port;
  }
  const temporal = parseTemporalMode(env.SLUICE_TEMPORAL || 'dev', 'SLUICE_TEMPORAL');
  const toolsDir = env.SLUICE_TOOLS_DIR || join(env.HOME || homedir(), '.cache', 'sluice', 'tools');
  return {
    temporal,
    dataDir: resolve(env.SLUICE_DATA_DIR || join(env.HOME || homedir(), '.local', 'state', 'sluice', 'dev')),
    toolsBin: join(resolve(toolsDir), 'bin'),
    host: '127.0.0.1',
    ports,
    kwokNodes: Number(env.SLUICE_KWOK_NODES || 2),
  };
}

/** Checks a Temporal mode named by a user; `where` says where it came from. */
export function parseTemporalMode(raw: string, where: string): TemporalMode {
  if ((temporalModes as readonly string[]).includes(raw)) return raw as TemporalMode;
  throw new Error(`${where}: unknown Temporal mode "${raw}"; known: ${temporalModes.join(', ')}`);
}

/** The defaults, for help text. */
export const stackDefaults = { ports: defaultPorts };
