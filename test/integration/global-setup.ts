import { loadStackConfig } from '../../scripts/stack/config.js';
import { stackDown, stackUp } from '../../scripts/stack/index.js';

// Brings the local stack up for the integration tests (a no-op when it already runs, as in CI where
// .ci/run starts it) and stops it afterwards only if this run started it.
export default async function setup(): Promise<() => Promise<void>> {
  const config = loadStackConfig();
  const log = (m: string) => process.stderr.write(`[stack] ${m}\n`);
  const { alreadyRunning } = await stackUp(config, log);
  return async () => {
    if (!alreadyRunning) await stackDown(config, log);
  };
}
