import { loadStackConfig } from '../../scripts/stack/config.js';
import { processTable, stackDown, stackUp } from '../../scripts/stack/index.js';

// Brings the local stack up for the integration tests (a no-op when it already runs, as in CI where
// .ci/run starts it) and stops it afterwards only if this run started it. A stack with any process running
// belongs to someone else (a test restarting one component, another run sharing it): this run then only fills
// in what is missing and stops nothing, so it never takes down a stack that others are using.
export default async function setup(): Promise<() => Promise<void>> {
  const config = loadStackConfig();
  const log = (m: string) => process.stderr.write(`[stack] ${m}\n`);
  const shared = processTable(config).some((p) => p.running);
  const { alreadyRunning } = await stackUp(config, log);
  return async () => {
    if (!alreadyRunning && !shared) await stackDown(config, log);
  };
}
