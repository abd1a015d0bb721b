import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationWorkflowId, repoWatcherId } from '../../core/workflow-ids.js';
import {
  type ApplicationStatus,
  applicationStatusQuery,
  historyQuery,
} from '../../workflows/application/messages.js';
import { repoStatusQuery } from '../../workflows/repo-watcher/messages.js';
import { repoWatcherWorkflow } from '../../workflows/repo-watcher/workflow.js';
import { SluicePhase } from '../../workflows/shared/search-attributes.js';
import { waitFor } from '../helpers/wait-for.js';
import { startApp } from './helpers/app.js';
import { servedRepo } from './helpers/git-repo.js';
import { testKube } from './helpers/kube.js';
import { configMapYaml, deploymentYaml } from './helpers/manifests.js';
import { recordHistory } from './helpers/record-history.js';
import { sluice } from './helpers/sluice-cli.js';
import { startTestWorker } from './helpers/test-worker.js';

// Two Applications in one commit, web dependsOn db: web's first sync starts only once db is Synced and
// Healthy; an Application of another repository that does not exist is a status message, not a silent
// hang; a cycle makes the commit invalid with every member's file:line, nothing of it applied.
describe('dependsOn between Applications', () => {
  const suffix = Date.now().toString(36);
  const repo = servedRepo('depends-on');
  const repoId = `deps-${suffix}`;
  const ns = `deps-${suffix}`;
  const [db, web, edge] = [`db-${suffix}`, `web-${suffix}`, `edge-${suffix}`];
  const kube = testKube();
  let w: Awaited<ReturnType<typeof startTestWorker>>;
  let first = '';

  // refreshInterval 10s: a live change the cache missed under load is still seen soon (db's health decides web's wait).
  const appYaml = (name: string, path: string, extra = '') => `apiVersion: sluice.dev/v1alpha1
kind: Application
metadata: {name: ${name}}
spec:
  source: {repoURL: ${repo.url}, targetRevision: main, path: ${path}}
  destination: {namespace: ${ns}}
  syncPolicy: {automated: {prune: true}, retry: {limit: 0}, syncOptions: [CreateNamespace=true], refreshInterval: 10s}
${extra}`;
  const app = (name: string) => w.client.workflow.getHandle(applicationWorkflowId(repoId, name));
  const status = (name: string) => app(name).query(applicationStatusQuery);
  const ready = (s: ApplicationStatus) => s.syncStatus === 'Synced' && s.health === 'Healthy';

  beforeAll(async () => {
    w = await startTestWorker('depends-on');
    first = repo.commit({
      // web's file sorts first: the watcher may well start it before db exists.
      'apps/a-web.yaml': appYaml(web, 'web', `  dependsOn:\n    - name: ${db}\n`),
      'apps/b-db.yaml': appYaml(db, 'db'),
      'db/deploy.yaml': deploymentYaml('db', { replicas: 2 }),
      'web/config.yaml': configMapYaml('web', { db: 'db' }),
    });
    await w.client.workflow.start(repoWatcherWorkflow, {
      taskQueue: w.taskQueue,
      workflowId: repoWatcherId(repoId),
      args: [{ repoId, repo: { url: repo.url, revision: 'main', path: 'apps' }, pollInterval: '2s' }],
    });
  });
  afterAll(async () => {
    for (const id of [repoWatcherId(repoId), ...[db, web, edge].map((n) => applicationWorkflowId(repoId, n))])
      await w.client.workflow
        .getHandle(id)
        .terminate('test done')
        .catch(() => {});
    await kube.core.deleteNamespace({ name: ns }).catch(() => {});
    await w?.stop();
  });

  it('syncs the dependent only after its dependency is Synced and Healthy, and says it waited', async () => {
    const seen: string[] = [];
    await waitFor(
      'both Synced and Healthy',
      async () => {
        const [d, s] = await Promise.all([status(db), status(web)]);
        for (const x of s.waitingFor ?? []) seen.push(`${x.id}: ${x.reason}`);
        return ready(d) && ready(s) && d.syncedRevision === first && s.syncedRevision === first;
      },
      120_000,
      200,
    );
    const [dbSync] = await app(db).query(historyQuery);
    const [webSync] = await app(web).query(historyQuery);
    expect(dbSync).toMatchObject({ phase: 'Succeeded', health: 'Healthy', revision: first });
    expect(webSync).toMatchObject({ phase: 'Succeeded', revision: first });
    expect(webSync?.startedAt).toBeGreaterThanOrEqual(dbSync?.finishedAt ?? Number.POSITIVE_INFINITY);
    // The wait is in web's history: the checks (one found db not ready), and SluicePhase while it waited.
    const events = (await app(web).fetchHistory()).events ?? [];
    const checks = events.filter(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'checkDependencies',
    );
    expect(checks.length).toBeGreaterThanOrEqual(2);
    const phases = events.flatMap((e) => {
      const fields = e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields;
      if (!fields || !('SluicePhase' in fields)) return [];
      const data = fields.SluicePhase?.data;
      // Unset is an empty list (or no data at all).
      return [data?.length ? ((JSON.parse(Buffer.from(data).toString()) as string[] | null) ?? []) : []];
    });
    expect(phases).toEqual([['WaitingForDependencies'], []]);
    // Polled while it waited: what the status query said (db not started, syncing or not yet healthy).
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((s) => s.startsWith(`${repoId}/${db}: `))).toBe(true);
    expect((await status(web)).waitingFor).toBeUndefined();
    // The replay fixture of an application that waited for a dependency (npm run record:histories).
    await recordHistory(w.client, applicationWorkflowId(repoId, web), 'application-waits-for-dependency');
  });

  it('holds the dependent back while its dependency is mid-update: one commit changing both syncs db first', async () => {
    const second = repo.commit({
      'db/deploy.yaml': deploymentYaml('db', { replicas: 3 }),
      'web/config.yaml': configMapYaml('web', { db: 'db', replicas: '3' }),
    });
    await waitFor(
      'both Synced and Healthy at the second commit',
      async () => {
        const [d, s] = await Promise.all([status(db), status(web)]);
        return ready(d) && ready(s) && d.syncedRevision === second && s.syncedRevision === second;
      },
      120_000,
      200,
    );
    const dbSync = (await app(db).query(historyQuery)).find((h) => h.revision === second);
    const webSync = (await app(web).query(historyQuery)).find((h) => h.revision === second);
    expect(dbSync).toMatchObject({ phase: 'Succeeded', health: 'Healthy' });
    expect(webSync?.phase).toBe('Succeeded');
    expect(webSync?.startedAt).toBeGreaterThanOrEqual(dbSync?.finishedAt ?? Number.POSITIVE_INFINITY);
  });

  it('shows a missing dependency of another repository in app get and app list, and --skip-dependencies syncs anyway', async () => {
    repo.commit({
      'apps/c-edge.yaml': appYaml(
        edge,
        'edge',
        `  dependsOn:\n    - {name: ghost, repo: nowhere-${suffix}}\n`,
      ),
      'edge/config.yaml': configMapYaml('edge', { db: 'none' }),
    });
    const waiting = await waitFor('edge waiting', async () => (await status(edge)).waitingFor, 60_000, 250);
    const why = `nowhere-${suffix}/ghost (no Application "ghost" in repository "nowhere-${suffix}")`;
    expect(waiting.map((x) => `${x.id} (${x.reason})`)).toEqual([why]);
    const described = await app(edge).describe();
    expect(described.typedSearchAttributes.get(SluicePhase)).toBe('WaitingForDependencies');

    const get = await sluice(['app', 'get', `${repoId}/${edge}`]);
    expect(get.code, get.stderr).toBe(0);
    expect(get.stdout).toMatch(/^Waiting for: +nowhere-/m);
    expect(get.stdout).toContain(why);
    const wait = await sluice(['app', 'wait', `${repoId}/${edge}`, '--timeout', '1s']);
    expect(wait.code).toBe(1);
    expect(wait.stderr).toContain(`sync OutOfSync, health Unknown; its sync waits for ${why}`);
    const list = await sluice(['app', 'list']);
    expect(list.stdout).toMatch(
      new RegExp(`^${edge} +${repoId} +\\S+ +OutOfSync waiting for nowhere-${suffix}/ghost `, 'm'),
    );
    expect((await status(edge)).syncedRevision).toBeUndefined();

    const forced = await sluice([
      'app',
      'sync',
      `${repoId}/${edge}`,
      '--skip-dependencies',
      '--timeout',
      '90s',
    ]);
    expect(forced.code, forced.stderr).toBe(0);
    const after = await waitFor('edge synced, no longer waiting', async () => {
      const s = await status(edge);
      return s.syncStatus === 'Synced' && s.waitingFor === undefined && s;
    });
    expect(after.lastSync?.phase).toBe('Succeeded');
  });

  it("never reads another Project's Application: a dependency on it waits, saying only that it is not in the Project", async () => {
    // Another team's Application, in another repository and Project, Synced and Healthy or not: its state must not show.
    // (Its own source lookups fail, logged: its repository is bound to no Project here. It only has to answer queries.)
    const victimRepo = `victim-${suffix}`;
    const victim = await startApp(w.client, w.taskQueue, {
      repoId: victimRepo,
      name: 'payments',
      project: 'team-payments',
      revision: 'test',
      source: 'test',
      spec: {
        source: { repoURL: repo.url, targetRevision: 'main', path: 'db' },
        destination: { namespace: ns },
      },
    });
    try {
      await waitFor('the victim running', async () => (await victim.query(applicationStatusQuery)).name);
      repo.commit({
        'apps/c-edge.yaml': appYaml(
          edge,
          'edge',
          `  dependsOn:\n    - {name: payments, repo: ${victimRepo}}\n`,
        ),
      });
      const waiting = await waitFor(
        'edge waiting for the other Project',
        async () => (await status(edge)).waitingFor?.find((x) => x.id === `${victimRepo}/payments`),
        60_000,
        250,
      );
      expect(waiting.reason).toMatch(
        /^is not in Project ".+": a dependency of another repository must be in the same Project$/,
      );
      expect(waiting.reason).not.toContain('team-payments');
      expect((await status(edge)).syncedRevision).not.toBe(repo.git('rev-parse', 'HEAD'));
    } finally {
      await victim.terminate('test done').catch(() => {});
    }
  });

  it('rejects a cycle in validate and in the watcher with each file:line; nothing of the commit is applied', async () => {
    const [x, y] = [`x-${suffix}`, `y-${suffix}`];
    const files = {
      'apps/x.yaml': appYaml(x, 'web', `  dependsOn:\n    - name: ${y}\n`),
      'apps/y.yaml': appYaml(y, 'web', `  dependsOn:\n    - name: ${x}\n`),
    };
    const bad = repo.commit(files);
    const cycle = (dir: string) => `dependency cycle: ${x} (${dir}x.yaml:9) → ${y} (${dir}y.yaml:9) → ${x}`;
    const invalid = await waitFor('the invalid commit', async () => {
      const st = await w.client.workflow.getHandle(repoWatcherId(repoId)).query(repoStatusQuery);
      return st.invalid?.sha === bad && st.invalid;
    });
    expect(invalid.errors.map((e) => e.replace(/ \(an Application in a cycle.*\)$/, ''))).toEqual([
      `apps/x.yaml:9:13: spec.dependsOn[0].name: ${cycle('apps/')}`,
      `apps/y.yaml:9:13: spec.dependsOn[0].name: ${cycle('apps/')}`,
    ]);
    // Nothing half-applied: no workflow for the cycle's Applications, the others still on an earlier commit's spec.
    for (const n of [x, y]) await expect(app(n).describe()).rejects.toThrow(/not found/i);
    expect((await status(web)).revision).not.toBe(bad);

    const dir = mkdtempSync(join(tmpdir(), 'sluice-deps-'));
    cpSync(join(repo.work, 'apps'), join(dir, 'apps'), { recursive: true });
    const apps = join(dir, 'apps');
    const v = await sluice(['validate', apps]);
    expect(v.code).not.toBe(0);
    expect(v.stdout + v.stderr).toContain(
      `${apps}/x.yaml:9:13: spec.dependsOn[0].name: ${cycle(`${apps}/`)}`,
    );
    expect(v.stdout + v.stderr).toContain(
      `${apps}/y.yaml:9:13: spec.dependsOn[0].name: ${cycle(`${apps}/`)}`,
    );
  });
});
