import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { Command } from 'commander';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { stackUp } from '../../scripts/stack/index.js';
import { runDemo } from '../demo/run-demo.js';
import { CliError } from '../errors.js';
import { progressLine } from '../output.js';

/** `sluice demo`: the local stack, then an app synced from Git and two rollouts (one promoted, one rolled back). */
export function demoCommand(): Command {
  return new Command('demo')
    .description(
      'start the local stack, sync an app from a local Git repository, promote a canary and roll back a bad one',
    )
    .action(async () => {
      const config = loadStackConfig();
      // The worker's own log would drown the demo's progress: it goes to a file, named at the end.
      const logFile = join(config.dataDir, 'logs', 'demo-worker.log');
      mkdirSync(join(config.dataDir, 'logs'), { recursive: true });
      Runtime.install({
        logger: new DefaultLogger('INFO', ({ level, message, meta, timestampNanos }) => {
          const time = new Date(Number(timestampNanos / 1_000_000n)).toISOString();
          appendFileSync(
            logFile,
            `${JSON.stringify({ time, level: level.toLowerCase(), msg: message, ...meta })}\n`,
          );
        }),
      });
      await stackUp(config, progressLine);
      const result = await runDemo(config, (line) => console.log(line));
      console.log('');
      console.log(`good rollout: ${result.good.phase} — ${result.good.message}`);
      console.log(`  Temporal UI: ${result.good.link}`);
      console.log(`bad rollout:  ${result.bad.phase} — ${result.bad.message}`);
      console.log(`  Temporal UI: ${result.bad.link}`);
      console.log(
        `Slack (local receiver standing in for Slack): ${result.slackMessages} messages; the rollback's thread:`,
      );
      for (const [i, text] of result.rollbackThread.entries()) console.log(`  ${i === 0 ? '' : '↳ '}${text}`);
      console.log(`worker log: ${logFile}`);
      if (result.good.phase !== 'Succeeded' || result.bad.phase !== 'Failed')
        throw new CliError('the demo did not end as expected', 'open the Temporal UI links above to see why');
    });
}
