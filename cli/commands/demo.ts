import { Command } from 'commander';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { stackUp } from '../../scripts/stack/index.js';
import { installJsonRuntimeLogger } from '../../worker/runtime-logger.js';
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
      installJsonRuntimeLogger('ERROR');
      const config = loadStackConfig();
      await stackUp(config, progressLine);
      const result = await runDemo(config, (line) => console.log(line));
      console.log('');
      console.log(`good rollout: ${result.good.phase} — ${result.good.message}`);
      console.log(`  Temporal UI: ${result.good.link}`);
      console.log(`bad rollout:  ${result.bad.phase} — ${result.bad.message}`);
      console.log(`  Temporal UI: ${result.bad.link}`);
      console.log(`Slack (local receiver): ${result.slackMessages} messages`);
      if (result.good.phase !== 'Succeeded' || result.bad.phase !== 'Failed')
        throw new CliError('the demo did not end as expected', 'open the Temporal UI links above to see why');
    });
}
