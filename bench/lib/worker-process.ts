// Child-process entry of a benchmark's Sluice worker: every workflow and activity, built from this
// checkout's source as the integration tests build it (buildActivityDeps + createActivities +
// createWorker). It runs apart from the benchmark driver so that its memory (/proc/<pid>/status) and
// its API requests are its own, not mixed with the driver's Temporal client and polling.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createActivities } from '../../activities/index.js';
import { buildActivityDeps } from '../../worker/activity-deps.js';
import { createWorker } from '../../worker/create-worker.js';
import { createLiveCache, startLiveState } from '../../worker/live-state.js';
import { watchActivities } from './activity-watch.js';
import { watchHttp } from './http-watch.js';
import { countRequestsTo } from './request-counter.js';
import type { WorkerProcessConfig, WorkerProcessMessage } from './worker-child.js';

const SLOW_ACTIVITY_MS = 60_000;
const SLOW_REQUEST_MS = 10_000;

const config = JSON.parse(process.argv[2] ?? '{}') as WorkerProcessConfig;
// Subscribed before any client exists, so every request is seen.
const apiRequests = countRequestsTo(config.apiserver);
const http = watchHttp(SLOW_REQUEST_MS);
const loop = monitorEventLoopDelay({ resolution: 20 });
loop.enable();
const send = (m: WorkerProcessMessage) => process.send?.(m);

// As `sluice worker` does: a live-state cache of the cluster feeds the sync path and signals the applications.
const live = createLiveCache({
  cluster: 'in-cluster',
  kubeconfigPath: config.kubeconfig,
  cacheDir: config.cacheDir,
  log: (level, msg, fields) => {
    if (level !== 'debug') console.error(JSON.stringify({ level, msg, ...fields }));
  },
});
const watched = watchActivities(
  createActivities(
    buildActivityDeps({
      kubeconfigPath: config.kubeconfig,
      cacheDir: config.cacheDir,
      live,
      kubeLimits: config.kubeLimits,
      // The benchmark measures syncing, not the trust model: one default Project that allows everything.
      trust: {
        projects: [
          {
            name: 'default',
            sourceRepos: ['*'],
            destinations: [{ namespace: '*' }],
            clusterResourceAllowList: [{ group: '*', kind: '*' }],
          },
        ],
      },
    }),
  ),
  SLOW_ACTIVITY_MS,
);
const connection = await NativeConnection.connect({ address: config.temporalAddress });
const clientConnection = await Connection.connect({ address: config.temporalAddress });
const stopLive = startLiveState(live, {
  cluster: 'in-cluster',
  client: new Client({ connection: clientConnection }),
  log: () => {},
});
const worker = await createWorker({
  connection,
  taskQueue: config.taskQueue,
  activities: watched.activities,
});
process.on('message', (m: WorkerProcessMessage) => {
  if (m.type === 'snapshot') {
    send({
      type: 'snapshot',
      id: m.id,
      snapshot: {
        apiRequests: apiRequests(),
        connections: http.connections(),
        loopMaxMs: loop.max / 1e6,
        loopP99Ms: loop.percentile(99) / 1e6,
        slowActivities: watched.report(),
        slowRequests: http.slow(),
      },
    });
    // Each snapshot starts a new event-loop window: the next one reports the phase in between.
    loop.reset();
  }
  if (m.type === 'stop') worker.shutdown();
});
// The driver went away without stopping us (killed, crashed): do not linger as an orphan.
process.on('disconnect', () => {
  if (worker.getState() === 'RUNNING') worker.shutdown();
});
// Stuck work shows in the log while it is stuck, not only at the end.
setInterval(() => {
  const stuck = [...watched.report(), ...http.slow()].filter((x) => !('finished' in x) || !x.finished);
  if (stuck.length) console.error(`[watch] ${JSON.stringify(stuck)}`);
}, 15_000).unref();
const running = worker.run();
send({ type: 'ready' });
await running;
await stopLive();
await clientConnection.close();
await connection.close();
process.exit(0);
