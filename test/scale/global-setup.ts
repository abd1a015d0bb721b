import { loadStackConfig } from '../../scripts/stack/config.js';
import { processTable, stackDown, stackUp } from '../../scripts/stack/index.js';

// The scale tests run on the Temporal server on PostgreSQL: bring up the stack in that mode (building the
// server on first use; `up` refuses clearly when the dev server runs in this data dir), and stop it afterwards
// only if this run started every process of it, as the integration setup does.
export default async function setup(): Promise<() => Promise<void>> {
  const config = { ...loadStackConfig(), temporal: 'postgres' as const };
  const log = (m: string) => process.stderr.write(`[stack] ${m}\n`);
  const shared = processTable(config).some((p) => p.running);
  const { alreadyRunning } = await stackUp(config, log);
  return async () => {
    if (!alreadyRunning && !shared) await stackDown(config, log);
  };
}
