import type { Connection } from '@temporalio/client';

/** Which Temporal server a run used: address, version and its persistence and visibility stores. */
export async function temporalInfo(connection: Connection, address: string): Promise<string> {
  try {
    const info = await connection.workflowService.getClusterInfo({});
    return `${address}: Temporal server ${info.serverVersion ?? '?'}, persistence ${info.persistenceStore ?? '?'}, visibility ${info.visibilityStore ?? '?'}, cluster ${info.clusterName ?? '?'}`;
  } catch (err) {
    return `${address} (cluster info unavailable: ${err instanceof Error ? err.message : String(err)})`;
  }
}
