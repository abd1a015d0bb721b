import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createActivities } from '../../activities/index.js';
import { routeTarget } from '../../activities/rollout/index.js';
import { applicationWorkflowId, repoWatcherId } from '../../core/workflow-ids.js';
import { createTrafficProvider } from '../../plugins/traffic/factory.js';
import type { StackConfig } from '../../scripts/stack/config.js';
import { stackPaths } from '../../scripts/stack/paths.js';
import { MeshTelemetry } from '../../scripts/stack/simulators/mesh-telemetry.js';
import { startFakeSlack } from '../../scripts/stack/simulators/slack-api.js';
import { buildActivityDeps } from '../../worker/activity-deps.js';
import { createWorker } from '../../worker/create-worker.js';
import { repoWatcherWorkflow } from '../../workflows/repo-watcher/workflow.js';
import { demoDeployment, demoPipelineFiles } from './demo-files.js';
import { demoRepo } from './demo-repo.js';
import { watchRollout } from './watch-rollout.js';

/** What the demo did, for its summary. */
export interface DemoResult {
  good: { phase: string; message: string; link: string };
  bad: { phase: string; message: string; link: string };
  slackMessages: number;
  /** The Slack thread of the rolled-back rollout: the parent, then its replies. */
  rollbackThread: string[];
}

/**
 * The whole product on the local stack: a Git repository with an app, a Rollout with Prometheus
 * analysis and a Slack alert (to a local Slack API receiver); a worker syncs it, a new tag rolls out
 * and is promoted, a bad tag rolls back. Simulated mesh telemetry (what a service mesh would report)
 * feeds Prometheus from the routes the provider set in the API server.
 */
export async function runDemo(config: StackConfig, print: (line: string) => void): Promise<DemoResult> {
  const id = Date.now().toString(36);
  const app = `podinfo-${id}`;
  const namespace = `demo-${id}`;
  const token = `xoxb-demo-${id}`;
  process.env.SLUICE_SECRET_DEMO_SLACK_TOKEN = token;
  const ui = `http://${config.host}:${config.ports.temporalUi}`;
  const link = (workflowId: string) => `${ui}/namespaces/default/workflows/${encodeURIComponent(workflowId)}`;
  const address = `${config.host}:${config.ports.temporal}`;

  const slack = await startFakeSlack({ token });
  const telemetry = await MeshTelemetry.start({ prometheusTargetsDir: stackPaths(config).prometheusTargets });
  const repoId = `demo-${id}`;
  const repo = demoRepo(config, repoId);
  const deps = buildActivityDeps({
    kubeconfigPath: stackPaths(config).kubeconfig,
    cacheDir: join(config.dataDir, 'demo-cache'),
    prometheusAddress: `http://${config.host}:${config.ports.prometheus}`,
    temporalUiUrl: ui,
    slackApiUrl: slack.url,
    // What an administrator writes in the worker config (docs/security.md): the demo team's Project
    // may read its own repository and deploy only to its namespace; its Slack token is granted to it
    // and may go only to the Slack API.
    trust: {
      projects: [{ name: 'demo', destinations: [{ cluster: 'in-cluster', namespace }] }],
      repositories: [{ id: repoId, url: repo.url, projects: ['demo'] }],
      secretAccess: [{ name: 'demo-slack', projects: ['demo'], hosts: [new URL(slack.url).host] }],
    },
  });
  const nativeConnection = await NativeConnection.connect({ address });
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const taskQueue = `sluice-demo-${id}`;
  const worker = await createWorker({
    connection: nativeConnection,
    taskQueue,
    activities: createActivities(deps),
  });
  const watcherId = repoWatcherId(repoId);
  const appId = applicationWorkflowId(repoId, app);
  try {
    return await worker.runUntil(async () => {
      const files = (tag: string) => ({
        'pipelines/podinfo.yaml': demoPipelineFiles({ app, repoURL: repo.url, namespace }),
        'manifests/deployment.yaml': demoDeployment(tag),
      });
      const target = routeTarget({
        rollout: 'podinfo',
        namespace,
        target: 'podinfo',
        service: { name: 'podinfo', port: 80, portName: 'http' },
        provider: 'istio',
      });
      // Simulated traffic: 50 requests/s split by the VirtualService's weights as the API server holds them.
      telemetry.addWorkload({
        namespace,
        target: 'podinfo',
        rps: 50,
        routes: () => createTrafficProvider('istio', { kube: deps.kube }).getRoutes(target),
      });

      const threadOf = (sha: string): string[] => {
        // Sync alerts are top-level messages too; the rollout's thread starts with "rollout of …".
        const parent = slack
          .parents('C0DEMO')
          .find((m) => m.text.includes(`rollout of`) && m.text.includes(sha.slice(0, 7)));
        return parent ? [parent.text, ...slack.replies('C0DEMO', parent.ts).map((r) => r.text)] : [];
      };
      const sha1 = repo.commit(files('6.9.0'), 'podinfo 6.9.0');
      print(`Git: ${repo.url} @ ${sha1.slice(0, 7)} (Application ${app}, Rollout podinfo, Slack alerts)`);
      await client.workflow.start(repoWatcherWorkflow, {
        taskQueue,
        workflowId: watcherId,
        args: [
          {
            repoId,
            repo: { url: repo.url, revision: 'main', path: 'pipelines' },
            pollInterval: '2s',
          },
        ],
      });
      print('1/3 first sync: the first revision goes straight to podinfo-primary');
      const init = await watchRollout(client, appId, sha1, print);
      if (init.phase !== 'Initialized')
        throw new Error(`initialisation ended ${init.phase}: ${init.message}`);

      const sha2 = repo.commit(files('6.9.1'), 'podinfo 6.9.1');
      print(`2/3 new tag 6.9.1 (${sha2.slice(0, 7)}): canary 20 → 40 → 60 %, analysed every 3 s`);
      const good = await watchRollout(client, appId, sha2, print);

      telemetry.setVersion(namespace, 'podinfo', { errorRate: 0.3 });
      const sha3 = repo.commit(files('6.9.2-broken'), 'podinfo 6.9.2 (answers 30 % of requests with 500)');
      print(`3/3 bad tag 6.9.2 (${sha3.slice(0, 7)}): its error rate fails the analysis`);
      const bad = await watchRollout(client, appId, sha3, print);

      return {
        good: { phase: good.phase, message: good.message, link: link(good.workflowId) },
        bad: { phase: bad.phase, message: bad.message, link: link(bad.workflowId) },
        slackMessages: slack.messages.length,
        rollbackThread: threadOf(sha3),
      };
    });
  } finally {
    for (const wf of [watcherId, appId])
      await client.workflow
        .getHandle(wf)
        .terminate('demo finished')
        .catch(() => undefined);
    await telemetry.stop();
    await slack.close();
    await connection.close();
    await nativeConnection.close();
  }
}
