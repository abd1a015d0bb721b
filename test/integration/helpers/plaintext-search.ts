// The search every secrets test runs: the histories of every workflow of its applications (the application
// workflows and the syncs they started) and a worker's output, for plaintexts as they are and in base64.
import type { Client } from '@temporalio/client';

/** Every history of the applications' workflows (by SluiceApp, plus each application workflow), as JSON text. */
export async function appHistories(client: Client, apps: { workflowId: string }[]): Promise<string[]> {
  const histories: string[] = [];
  for (const a of apps) {
    for await (const wf of client.workflow.list({ query: `SluiceApp = "${a.workflowId.split('/').pop()}"` }))
      histories.push(JSON.stringify(await client.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory()));
    histories.push(JSON.stringify(await client.workflow.getHandle(a.workflowId).fetchHistory()));
  }
  return histories;
}

/** The secrets that occur in text, as themselves or base64-encoded (as a Secret's data holds them). */
export function leaked(text: string, secrets: string[]): string[] {
  return secrets.filter((s) => text.includes(s) || text.includes(Buffer.from(s).toString('base64')));
}
