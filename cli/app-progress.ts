// The progress `app sync` and `app wait` show: the application's phase, sync status and health, the running
// sync's steps, and each object with its sync status and health (from the sync's history while it runs, from
// the application's last live check otherwise).
import type { Client, WorkflowHandle } from '@temporalio/client';
import { refKey } from '../core/resource-ref.js';
import type { ApplicationStatus } from '../workflows/application/messages.js';
import { applicationStatusQuery } from '../workflows/application/messages.js';
import { colour, formatTable, short, statusColour } from './output.js';
import { type ResourceProgress, type SyncProgress, syncProgress } from './sync-progress.js';

/** One look at an application and the sync it runs (or ran last while followed). */
export interface AppProgress {
  name: string;
  status?: ApplicationStatus;
  sync?: { workflowId: string; progress: SyncProgress };
}

/** Looks at the application now; `syncId` keeps following a sync that has ended since the last look. */
export async function lookAtApp(
  client: Client,
  handle: WorkflowHandle,
  name: string,
  syncId?: string,
): Promise<AppProgress> {
  const status = await handle.query(applicationStatusQuery).catch(() => undefined);
  const d = await handle.describe().catch(() => undefined);
  const running = d?.raw.pendingChildren?.find((c) => c.workflowId?.startsWith('sync/'))?.workflowId;
  const workflowId = running ?? syncId;
  if (!workflowId) return { name, ...(status ? { status } : {}) };
  const history = await client.workflow
    .getHandle(workflowId)
    .fetchHistory()
    .catch(() => undefined);
  return {
    name,
    ...(status ? { status } : {}),
    ...(history ? { sync: { workflowId, progress: syncProgress(history) } } : {}),
  };
}

const kindOf = (r: ResourceProgress) => r.ref.kind;
const mark = { Running: colour('yellow', '…'), Succeeded: colour('green', '✓'), Failed: colour('red', '✗') };

/** The objects to show: the followed sync's, else the last live check's. */
function resources(p: AppProgress): ResourceProgress[] {
  if (p.sync && p.sync.progress.resources.length > 0) return p.sync.progress.resources;
  return (p.status?.resources ?? []).map((r) => ({
    ref: r.ref,
    sync: r.sync,
    health: r.health,
    ...(r.message ? { message: r.message } : {}),
  }));
}

/** The block a terminal redraws, and the keyed lines printed when they change elsewhere. */
export function progressView(p: AppProgress): { block: string[]; lines: [string, string][] } {
  const s = p.status;
  const head = s
    ? `${p.name}: ${statusColour(s.phase)}, sync ${statusColour(s.syncStatus)} at ${short(s.syncedRevision)}, health ${statusColour(s.health)}`
    : `${p.name}: status unavailable`;
  const steps = (p.sync?.progress.steps ?? []).map(
    (st) => `  ${mark[st.state]} ${st.summary}${st.message ? `: ${colour('red', st.message)}` : ''}`,
  );
  const rows = resources(p);
  const cells = rows.map((r) => [
    kindOf(r),
    r.ref.namespace ?? '',
    r.ref.name,
    statusColour(r.sync),
    statusColour(r.health),
    r.message ?? '',
  ]);
  const table = rows.length
    ? formatTable(['kind', 'namespace', 'name', 'sync', 'health', 'message'], cells)
    : '';
  return {
    block: [
      head,
      ...(p.sync ? [`Sync ${p.sync.workflowId}`, ...steps] : []),
      ...(table ? ['', ...table.split('\n')] : []),
    ],
    lines: [
      ['app', head],
      ...steps.map((text, i): [string, string] => [`step ${i}`, text.trim()]),
      ...rows.map((r, i): [string, string] => [
        `res ${refKey(r.ref)}`,
        `${kindOf(r)} ${r.ref.namespace ? `${r.ref.namespace}/` : ''}${r.ref.name}  ${(cells[i] ?? []).slice(3).filter(Boolean).join('  ')}`,
      ]),
    ],
  };
}
