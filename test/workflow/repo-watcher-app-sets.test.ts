import { describe, expect, it } from 'vitest';
import type { SluiceObject } from '../../schemas/loader/types.js';
import { applicationStatusQuery } from '../../workflows/application/messages.js';
import { repoStatusQuery } from '../../workflows/repo-watcher/messages.js';
import { applicationObject, gitFakes } from './fakes/git.js';
import { startWatcher } from './helpers/start-watcher.js';
import { withWorker } from './helpers/test-env.js';
import { queryUntil } from './helpers/wait-until.js';

type Policy = 'create-only' | 'create-update';

const setObject = (name: string, policy: Policy): SluiceObject =>
  ({
    apiVersion: 'sluice.dev/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name },
    spec: {
      generators: [{ list: { elements: [{}] } }],
      template: { metadata: { name }, spec: {} },
      syncPolicy: { applicationsSync: policy },
    },
    source: { file: 'sets.yaml', line: 1 },
  }) as SluiceObject;

/** An Application the set generated; `ns` differs between commits so its spec changes. */
const generated = (name: string, set: string, policy: Policy, ns: string): SluiceObject => {
  const app = applicationObject(name) as SluiceObject & { spec: { destination: { namespace: string } } };
  app.spec.destination.namespace = ns;
  return {
    ...app,
    source: { file: 'sets.yaml', line: 1 },
    generatedBy: {
      set: `default/${set}`,
      element: 'spec.generators[0].list.elements[0]',
      policy,
      preserve: false,
    },
  } as SluiceObject;
};

describe('repository watcher with ApplicationSets', () => {
  it('create-only neither updates nor removes, create-update updates but keeps; a deleted set removes both', async () => {
    let head = '1'.repeat(40);
    const sets = [setObject('frozen', 'create-only'), setObject('upd', 'create-update')];
    const fake = gitFakes({
      head: () => head,
      objects: (sha) => {
        if (sha.startsWith('1') || sha.startsWith('2')) {
          const ns = sha.startsWith('1') ? 'one' : 'two';
          return [
            ...sets,
            generated('a', 'frozen', 'create-only', ns),
            generated('b', 'upd', 'create-update', ns),
            applicationObject('keep'),
          ];
        }
        // 3: the sets generate nothing; 4: the sets are gone.
        return sha.startsWith('3') ? [...sets, applicationObject('keep')] : [applicationObject('keep')];
      },
    });
    await withWorker(fake.activities, async ({ client, taskQueue, id }) => {
      const repoId = id('repo');
      const handle = await startWatcher({ client, taskQueue }, repoId);
      const app = (name: string) => client.workflow.getHandle(`app/${repoId}/${name}`);
      try {
        await queryUntil(handle, repoStatusQuery, (s) => s.lastValidSha === head);
        head = '2'.repeat(40);
        await queryUntil(handle, repoStatusQuery, (s) => s.lastValidSha === head);
        // b (create-update) gets the new spec; a (create-only) keeps the one it was created with.
        const b = await queryUntil(app('b'), applicationStatusQuery, (s) => s.updates === 1);
        expect(b.revision).toBe(head);
        const a = await app('a').query(applicationStatusQuery);
        expect(a).toMatchObject({ updates: 0, revision: '1'.repeat(40) });

        head = '3'.repeat(40);
        const kept = await queryUntil(handle, repoStatusQuery, (s) => s.lastValidSha === head);
        // Neither set may remove: both stay running and recorded.
        expect(
          Object.values(kept.apps)
            .map((r) => r.name)
            .sort(),
        ).toEqual(['a', 'b', 'keep']);
        expect(kept.apps[`app/${repoId}/a`]?.generatedBy).toEqual({
          set: 'default/frozen',
          policy: 'create-only',
          preserve: false,
        });
        expect((await app('a').describe()).status.name).toBe('RUNNING');

        head = '4'.repeat(40);
        const gone = await queryUntil(handle, repoStatusQuery, (s) => s.lastValidSha === head);
        expect(Object.values(gone.apps).map((r) => r.name)).toEqual(['keep']);
        for (const name of ['a', 'b']) expect((await app(name).result()).phase).toBe('Stopped');
      } finally {
        await handle.terminate('test done');
        for (const name of ['a', 'b', 'keep'])
          await app(name)
            .terminate('test done')
            .catch(() => undefined);
      }
    });
  });
});
