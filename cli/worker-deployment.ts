// The operator's side of worker deployment versioning (docs/upgrading.md): make a version current, and see
// each version's open pinned runs, so the old workers are stopped only once nothing runs on them.
import type { Client } from '@temporalio/client';

/** One version of a Worker Deployment as an operator needs it. */
export interface DeploymentVersionRow {
  buildId: string;
  current: boolean;
  /** Server's view: unspecified | draining | drained (`drained` lags the last pinned run by minutes). */
  drainage: string;
  /** Open workflows pinned to this version (visibility; what the server counts for drainage). */
  openPinnedRuns: number;
}

/** Makes `<deployment>:<buildId>` current: new workflows and AUTO_UPGRADE ones go to it; answers the previous build ID. */
export async function setCurrentVersion(
  client: Client,
  deploymentName: string,
  buildId: string,
): Promise<string | undefined> {
  const answer = await client.workflowService.setWorkerDeploymentCurrentVersion({
    namespace: client.options.namespace,
    deploymentName,
    buildId,
    identity: client.options.identity,
  });
  return answer.previousDeploymentVersion?.buildId || undefined;
}

/** Open workflows pinned to a version, counted by visibility. */
export async function openPinnedRuns(
  client: Client,
  deploymentName: string,
  buildId: string,
): Promise<number> {
  const { count } = await client.workflow.count(
    `TemporalWorkerDeploymentVersion = '${deploymentName}:${buildId}' AND ExecutionStatus = 'Running'`,
  );
  return count;
}

/** Every version of a deployment, newest first, with its drainage and open pinned runs. */
export async function deploymentVersions(
  client: Client,
  deploymentName: string,
): Promise<DeploymentVersionRow[]> {
  const { workerDeploymentInfo: info } = await client.workflowService.describeWorkerDeployment({
    namespace: client.options.namespace,
    deploymentName,
  });
  const current = info?.routingConfig?.currentDeploymentVersion?.buildId;
  const rows: DeploymentVersionRow[] = [];
  for (const v of info?.versionSummaries ?? []) {
    const buildId = v.deploymentVersion?.buildId ?? '';
    rows.push({
      buildId,
      current: buildId === current,
      drainage: drainageName(v.drainageStatus ?? 0),
      openPinnedRuns: await openPinnedRuns(client, deploymentName, buildId),
    });
  }
  return rows;
}

/** VERSION_DRAINAGE_STATUS_* as a word. */
function drainageName(status: number): string {
  return ['unspecified', 'draining', 'drained'][status] ?? String(status);
}
