import { readFileSync } from 'node:fs';
import type { StackPaths } from './paths.js';
import { recordedPid } from './processes.js';

/** How kube-controller-manager is tuned: its defaults (20 requests/s, 5 Deployment syncs at once) or fast. */
export type ControllerMode = 'default' | 'fast';

/**
 * The fast controller's flags: client limits and sync workers high enough that rolling Deployments out is not
 * what a benchmark of an applier measures (the defaults are --kube-api-qps 20, burst 30, 5 and 5 workers).
 */
export const fastControllerArgs = [
  '--kube-api-qps=500',
  '--kube-api-burst=1000',
  '--concurrent-deployment-syncs=50',
  '--concurrent-replicaset-syncs=50',
];

/** The controller-manager flags of a mode. */
export function controllerModeArgs(mode: ControllerMode): string[] {
  return mode === 'fast' ? fastControllerArgs : [];
}

/** Which mode a controller-manager command line runs in. */
export function modeOfArgs(argv: string[]): ControllerMode {
  return fastControllerArgs.every((a) => argv.includes(a)) ? 'fast' : 'default';
}

/** The mode of the running kube-controller-manager (from its command line), undefined when it is not running. */
export function runningControllerMode(paths: StackPaths): ControllerMode | undefined {
  const pid = recordedPid(paths, 'kube-controller-manager');
  if (pid === undefined) return undefined;
  try {
    return modeOfArgs(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'));
  } catch {
    return undefined;
  }
}
