import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Ports of every local-stack component; each can be overridden by an environment variable. */
export interface StackPorts {
  temporal: number;
  temporalUi: number;
  etcdClient: number;
  etcdPeer: number;
  apiserver: number;
  controllerManager: number;
  scheduler: number;
  kwok: number;
  prometheus: number;
  git: number;
}

/** Where the local stack keeps its data and finds its tools, and the ports it listens on. */
export interface StackConfig {
  dataDir: string;
  toolsBin: string;
  host: string;
  ports: StackPorts;
  kwokNodes: number;
}

const defaultPorts: StackPorts = {
  temporal: 7233,
  temporalUi: 8233,
  etcdClient: 12379,
  etcdPeer: 12380,
  apiserver: 16443,
  controllerManager: 10257,
  scheduler: 10259,
  kwok: 10247,
  prometheus: 9090,
  git: 8180,
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
  const toolsDir = env.SLUICE_TOOLS_DIR || join(env.HOME || homedir(), '.cache', 'sluice', 'tools');
  return {
    dataDir: resolve(env.SLUICE_DATA_DIR || join(env.HOME || homedir(), '.local', 'state', 'sluice', 'dev')),
    toolsBin: join(resolve(toolsDir), 'bin'),
    host: '127.0.0.1',
    ports,
    kwokNodes: Number(env.SLUICE_KWOK_NODES || 2),
  };
}

/** The defaults, for help text. */
export const stackDefaults = { ports: defaultPorts };
