// `sluice image list | get POLICY | scan POLICY`: the ImagePolicies' workflows (`image-policy/<repo>/<ns>/<name>`),
// their selected tag and what their ImageUpdateAutomations last committed.
import type { Client } from '@temporalio/client';
import { Command } from 'commander';
import {
  type ImagePolicyStatus,
  imagePolicyScanSignal,
  imagePolicyStatusQuery,
} from '../../workflows/image/messages.js';
import { CliError, ExitCode } from '../errors.js';
import { type OutputFormat, outputOption, printAs, printTable } from '../output.js';
import { withClient } from '../temporal.js';
import { kindQuery, temporalError } from '../workflows.js';

type Out = { output: OutputFormat };

/** The running policy workflows, optionally only those named `name` (the ImagePolicy's metadata.name). */
async function policyIds(client: Client, name?: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const wf of client.workflow.list({
    query: kindQuery('image-policy', { app: name, running: true }),
  }))
    ids.push(wf.workflowId);
  return ids.sort();
}

/** One policy's workflow ID: given as one, or found by name (an ambiguous name is a usage error). */
async function policyId(client: Client, name: string): Promise<string> {
  if (name.startsWith('image-policy/')) return name;
  const ids = await policyIds(client, name.includes('/') ? name.slice(name.lastIndexOf('/') + 1) : name);
  const matching = name.includes('/') ? ids.filter((id) => id.endsWith(`/${name}`)) : ids;
  if (matching.length === 1) return matching[0] as string;
  throw new CliError(
    matching.length === 0
      ? `ImagePolicy "${name}" not found among the running policies`
      : `ImagePolicy "${name}" is declared more than once: ${matching.join(', ')}`,
    'give <namespace>/<name> or the workflow ID (sluice image list)',
    ExitCode.usage,
  );
}

async function status(client: Client, id: string): Promise<ImagePolicyStatus & { workflowId: string }> {
  try {
    return { workflowId: id, ...(await client.workflow.getHandle(id).query(imagePolicyStatusQuery)) };
  } catch (err) {
    throw temporalError(err, `image policy ${id}`);
  }
}

/** The newest write of any automation, for the list's "last commit" column. */
function lastCommit(s: ImagePolicyStatus): string {
  const writes = Object.entries(s.written).sort(([, a], [, b]) => b.at.localeCompare(a.at));
  const [name, w] = writes[0] ?? [];
  return w ? `${w.sha.slice(0, 7)} ${w.changed ? 'set' : 'had'} ${w.tag} (${name})` : '';
}

function printPolicy(s: ImagePolicyStatus & { workflowId: string }): void {
  console.log(`policy:    ${s.policy}  (${s.workflowId})`);
  console.log(`image:     ${s.image}`);
  console.log(
    `selected:  ${s.selected ? `${s.selected.tag}${s.selected.digest ? `@${s.selected.digest}` : ''} since ${s.selected.at}` : 'none yet'}`,
  );
  console.log(
    `scans:     ${s.scans}${s.lastScan ? `, last ${s.lastScan}` : ''}${s.tagsListed !== undefined ? `, ${s.tagsListed} tags` : ''}`,
  );
  if (s.lastError) console.log(`error:     ${s.lastError}`);
  for (const [name, r] of Object.entries(s.refused ?? {}))
    console.log(`refused:   ${name} at ${r.tag}: ${r.error} (retried when the definition changes)`);
  printTable(
    ['automation', 'tag', 'commit', 'changed', 'at'],
    Object.entries(s.written).map(([name, w]) => [
      name,
      w.tag,
      w.sha.slice(0, 7),
      w.changed ? 'yes' : 'no (already set)',
      w.at,
    ]),
    'no automation has written yet',
  );
  const told = Object.entries(s.told);
  if (told.length) console.log(`pipelines: ${told.map(([id, tag]) => `${id} told ${tag}`).join(', ')}`);
}

/** The `sluice image` command group. */
export function imageCommand(): Command {
  return new Command('image')
    .description('image automation: the tag each ImagePolicy selected and what was committed')
    .addCommand(
      new Command('list')
        .description('every running ImagePolicy with its selected tag and last commit')
        .addOption(outputOption())
        .action(async (opts: Out, cmd: Command) =>
          withClient(cmd, async (client) => {
            const all = await Promise.all((await policyIds(client)).map((id) => status(client, id)));
            printAs(opts.output, all, () =>
              printTable(
                ['policy', 'image', 'tag', 'last commit', 'error'],
                all.map((s) => [s.policy, s.image, s.selected?.tag ?? '', lastCommit(s), s.lastError ?? '']),
                'no image policies',
              ),
            );
          }),
        ),
    )
    .addCommand(
      new Command('get')
        .description('one ImagePolicy: selection, scans, each automation’s commit, the Pipelines told')
        .argument('<policy>', 'name, <namespace>/<name> or the workflow ID')
        .addOption(outputOption())
        .action(async (name: string, opts: Out, cmd: Command) =>
          withClient(cmd, async (client) => {
            const s = await status(client, await policyId(client, name));
            printAs(opts.output, s, () => printPolicy(s));
          }),
        ),
    )
    .addCommand(
      new Command('scan')
        .description('scan an ImagePolicy’s repository now instead of at its next interval')
        .argument('<policy>', 'name, <namespace>/<name> or the workflow ID')
        .action(async (name: string, _opts: unknown, cmd: Command) =>
          withClient(cmd, async (client) => {
            const id = await policyId(client, name);
            try {
              await client.workflow.getHandle(id).signal(imagePolicyScanSignal);
            } catch (err) {
              throw temporalError(err, `image policy ${id}`);
            }
            console.log(id);
          }),
        ),
    );
}
