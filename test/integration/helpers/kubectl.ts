import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { loadStackConfig } from '../../../scripts/stack/config.js';
import { stackPaths } from '../../../scripts/stack/paths.js';

/** Runs the stack's real kubectl against its cluster (as an operator would disturb live state), answering stdout. */
export function kubectl(...args: string[]): string {
  const config = loadStackConfig();
  return execFileSync(
    join(config.toolsBin, 'kubectl'),
    ['--kubeconfig', stackPaths(config).kubeconfig, ...args],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}
