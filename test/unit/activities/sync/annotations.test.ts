import type { KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { syncWave } from '../../../../activities/sync/annotations.js';
import { deletePoliciesOf, hookOf } from '../../../../activities/sync/hook-annotations.js';
import { inKindOrder } from '../../../../activities/sync/kind-order.js';
import {
  objectSyncOptions,
  parseObjectSyncOptions,
} from '../../../../activities/sync/object-sync-options.js';
import { applicableObjects, planResource, planResources } from '../../../../activities/sync/render-plan.js';

const obj = (annotations: Record<string, string>, kind = 'Job', name = 'x'): KubernetesObject => ({
  apiVersion: 'v1',
  kind,
  metadata: { name, namespace: 'ns', annotations },
});

describe('sync waves from Sluice, Argo CD and Helm annotations', () => {
  it("reads Argo CD's wave, and Helm's hook weight only when no wave is set", () => {
    expect(syncWave(obj({ 'argocd.argoproj.io/sync-wave': '-1' }))).toBe(-1);
    expect(syncWave(obj({ 'helm.sh/hook-weight': '5' }))).toBe(5);
    expect(syncWave(obj({ 'helm.sh/hook-weight': '5', 'argocd.argoproj.io/sync-wave': '2' }))).toBe(2);
    expect(syncWave(obj({ 'sluice.dev/sync-wave': '3', 'argocd.argoproj.io/sync-wave': '3' }))).toBe(3);
    expect(syncWave(obj({}))).toBe(0);
  });

  it('refuses a Sluice and an Argo CD wave that disagree, naming the object', () => {
    expect(() => syncWave(obj({ 'sluice.dev/sync-wave': '1', 'argocd.argoproj.io/sync-wave': '2' }))).toThrow(
      'Job ns/x: sluice.dev/sync-wave "1" and argocd.argoproj.io/sync-wave "2" disagree',
    );
    expect(() => syncWave(obj({ 'argocd.argoproj.io/sync-wave': 'one' }))).toThrow(/must be an integer/);
  });
});

describe('hooks from Sluice, Argo CD and Helm annotations', () => {
  it.each([
    [{ 'argocd.argoproj.io/hook': 'PreSync' }, { hooks: ['PreSync'], skip: false }],
    [{ 'argocd.argoproj.io/hook': 'SyncFail' }, { hooks: ['SyncFail'], skip: false }],
    [{ 'argocd.argoproj.io/hook': 'Skip' }, { hooks: [], skip: true }],
    [{ 'argocd.argoproj.io/hook': 'PostDelete' }, { hooks: [], skip: true }],
    [
      { 'sluice.dev/hook': 'PostSync', 'argocd.argoproj.io/hook': 'PostSync' },
      { hooks: ['PostSync'], skip: false },
    ],
    [{ 'helm.sh/hook': 'pre-install,pre-upgrade' }, { hooks: ['PreSync'], skip: false }],
    [{ 'helm.sh/hook': 'post-install, post-upgrade' }, { hooks: ['PostSync'], skip: false }],
    [{ 'helm.sh/hook': 'pre-install,pre-delete' }, { hooks: ['PreSync'], skip: false }],
    [{ 'helm.sh/hook': 'test' }, { hooks: [], skip: true }],
    [{ 'helm.sh/hook': 'test-success' }, { hooks: [], skip: true }],
    [{ 'helm.sh/hook': 'pre-rollback,post-delete' }, { hooks: [], skip: true }],
    [{ 'helm.sh/hook': 'crd-install' }, { hooks: [], skip: false }],
    [
      { 'helm.sh/hook': 'post-install', 'argocd.argoproj.io/hook': 'Sync' },
      { hooks: ['Sync'], skip: false },
    ],
    [{}, { hooks: [], skip: false }],
  ])('%j → %j', (annotations, expected) => {
    expect(hookOf(obj(annotations))).toEqual(expected);
  });

  it.each([
    [{ 'argocd.argoproj.io/hook': 'PreSync,PostSync' }, ['PreSync', 'PostSync']],
    [{ 'sluice.dev/hook': 'PostSync, SyncFail,PostSync' }, ['PostSync', 'SyncFail']],
    [{ 'helm.sh/hook': 'pre-install,post-install' }, ['PreSync', 'PostSync']],
    [{ 'helm.sh/hook': 'pre-upgrade,post-upgrade,pre-install,test' }, ['PreSync', 'PostSync']],
  ])('a hook named for several phases runs in each: %j → %j', (annotations, hooks) => {
    expect(hookOf(obj(annotations))).toEqual({ hooks, skip: false });
  });

  it('refuses unknown values and disagreements, naming the object', () => {
    expect(() => hookOf(obj({ 'argocd.argoproj.io/hook': 'Presync' }))).toThrow(
      'Job ns/x: argocd.argoproj.io/hook must be one of PreSync, Sync, PostSync, SyncFail, Skip, PostDelete, got "Presync"',
    );
    expect(() =>
      hookOf(obj({ 'sluice.dev/hook': 'PreSync', 'argocd.argoproj.io/hook': 'PostSync' })),
    ).toThrow(/disagree/);
  });

  it("maps delete policies, BeforeHookCreation when none is given (Argo CD's default)", () => {
    expect(deletePoliciesOf(obj({}))).toEqual(['BeforeHookCreation']);
    expect(
      deletePoliciesOf(obj({ 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded,HookFailed' })),
    ).toEqual(['HookSucceeded', 'HookFailed']);
    expect(
      deletePoliciesOf(obj({ 'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded' })),
    ).toEqual(['BeforeHookCreation', 'HookSucceeded']);
    expect(deletePoliciesOf(obj({ 'sluice.dev/hook-delete-policy': 'HookFailed' }))).toEqual(['HookFailed']);
    expect(() => deletePoliciesOf(obj({ 'helm.sh/hook-delete-policy': 'hook-succeded' }))).toThrow(
      /helm.sh\/hook-delete-policy must be among/,
    );
  });

  it('plans a hook with its policies, and an ordinary object without', () => {
    expect(planResource(obj({ 'helm.sh/hook': 'post-install', 'helm.sh/hook-weight': '-2' }))).toMatchObject({
      hook: 'PostSync',
      wave: -2,
      deletePolicies: ['BeforeHookCreation'],
    });
    expect(planResource(obj({}, 'ConfigMap'))).not.toHaveProperty('deletePolicies');
  });

  it('plans a hook named for two phases once per phase, same object, same policies', () => {
    const both = obj({
      'argocd.argoproj.io/hook': 'PreSync,PostSync',
      'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded',
    });
    expect(planResources(both)).toEqual([
      {
        ref: { apiVersion: 'v1', kind: 'Job', namespace: 'ns', name: 'x' },
        wave: 0,
        hook: 'PreSync',
        deletePolicies: ['HookSucceeded'],
        prunable: true,
      },
      {
        ref: { apiVersion: 'v1', kind: 'Job', namespace: 'ns', name: 'x' },
        wave: 0,
        hook: 'PostSync',
        deletePolicies: ['HookSucceeded'],
        prunable: true,
      },
    ]);
    expect(planResources(obj({}, 'ConfigMap'))).toEqual([planResource(obj({}, 'ConfigMap'))]);
  });

  it("marks Flux's ssa: Ignore in Git as ignored (never awaited or owned), and nothing else", () => {
    expect(planResource(obj({ 'kustomize.toolkit.fluxcd.io/ssa': 'Ignore' }, 'ConfigMap'))).toMatchObject({
      ignored: true,
    });
    expect(
      planResource(obj({ 'kustomize.toolkit.fluxcd.io/ssa': 'IfNotPresent' }, 'ConfigMap')),
    ).not.toHaveProperty('ignored');
  });
});

describe('what a sync applies of a render', () => {
  it('leaves out skipped objects and names generateName hooks the same way every time', () => {
    const gen = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { generateName: 'migrate-', annotations: { 'argocd.argoproj.io/hook': 'PreSync' } },
    };
    const objects = [
      obj({ 'argocd.argoproj.io/hook': 'Skip' }, 'ConfigMap', 'skipped'),
      gen,
      obj({}, 'ConfigMap'),
    ];
    const first = applicableObjects(objects, 'key-a');
    expect(first.map((o) => o.metadata?.name)).toEqual([expect.stringMatching(/^migrate-[0-9a-f]{5}$/), 'x']);
    expect(first[0]?.metadata).not.toHaveProperty('generateName');
    expect(applicableObjects(objects, 'key-a')[0]?.metadata?.name).toBe(first[0]?.metadata?.name);
    expect(applicableObjects(objects, 'key-b')[0]?.metadata?.name).not.toBe(first[0]?.metadata?.name);
  });

  it('refuses generateName on an object that is not a hook', () => {
    expect(() =>
      applicableObjects([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'c-' } }], 'k'),
    ).toThrow('ConfigMap c-*: metadata.generateName is only supported on hooks');
  });
});

describe('per-object sync options (Argo CD and Flux)', () => {
  it('reads what keeps an object, how it is written, and accepts the options that change nothing', () => {
    const o = (a: Record<string, string>) => objectSyncOptions(obj(a, 'ConfigMap'));
    expect(o({})).toEqual({
      prune: true,
      deleteOnRemoval: true,
      replace: false,
      force: false,
      ifNotPresent: false,
      ignore: false,
    });
    expect(o({ 'argocd.argoproj.io/sync-options': 'Prune=false' })).toMatchObject({
      prune: false,
      deleteOnRemoval: true,
    });
    expect(o({ 'argocd.argoproj.io/sync-options': 'Delete=false' })).toMatchObject({
      prune: true,
      deleteOnRemoval: false,
    });
    expect(o({ 'argocd.argoproj.io/sync-options': 'Prune=confirm,Delete=confirm' })).toMatchObject({
      prune: false,
      deleteOnRemoval: false,
    });
    expect(o({ 'argocd.argoproj.io/sync-options': 'Replace=true, Force=true' })).toMatchObject({
      replace: true,
      force: true,
    });
    expect(o({ 'argocd.argoproj.io/sync-options': 'Force=true' })).toMatchObject({ force: false });
    expect(
      o({
        'argocd.argoproj.io/sync-options':
          'ServerSideApply=true,Validate=false,SkipDryRunOnMissingResource=true,PruneLast=true',
      }),
    ).toMatchObject({ prune: true, replace: false });
    expect(o({ 'kustomize.toolkit.fluxcd.io/prune': 'disabled' })).toMatchObject({
      prune: false,
      deleteOnRemoval: false,
    });
    expect(o({ 'kustomize.toolkit.fluxcd.io/ssa': 'IfNotPresent' })).toMatchObject({ ifNotPresent: true });
    expect(o({ 'kustomize.toolkit.fluxcd.io/ssa': 'Ignore' })).toMatchObject({ ignore: true });
    expect(o({ 'kustomize.toolkit.fluxcd.io/ssa': 'Merge' })).toMatchObject({
      ignore: false,
      ifNotPresent: false,
    });
  });

  it('refuses an unknown option naming the object, so a typo never prunes what it meant to keep', () => {
    expect(() =>
      objectSyncOptions(obj({ 'argocd.argoproj.io/sync-options': 'Prune=flase' }, 'ConfigMap')),
    ).toThrow('ConfigMap ns/x: unknown sync option(s) "Prune=flase"');
    expect(() =>
      objectSyncOptions(obj({ 'kustomize.toolkit.fluxcd.io/ssa': 'ifnotpresent' }, 'ConfigMap')),
    ).toThrow(/unknown sync option/);
    // Prune reads live objects leniently: an unknown option there is reported, not thrown.
    expect(parseObjectSyncOptions({ 'argocd.argoproj.io/sync-options': 'Nope=1' }).unknown).toEqual([
      'Nope=1',
    ]);
  });
});

describe("Argo CD's kind order within a wave", () => {
  it('orders by kind rank, then name; unknown kinds last', () => {
    const objects = [
      obj({}, 'Deployment', 'b'),
      obj({}, 'Widget', 'a'),
      obj({}, 'ConfigMap', 'z'),
      obj({}, 'Deployment', 'a'),
      obj({}, 'ServiceAccount', 'q'),
      obj({}, 'Service', 'a'),
    ];
    expect(inKindOrder(objects).map((g) => g.map((o) => `${o.kind}/${o.metadata?.name}`))).toEqual([
      ['ServiceAccount/q'],
      ['ConfigMap/z'],
      ['Service/a'],
      ['Deployment/a', 'Deployment/b'],
      ['Widget/a'],
    ]);
  });
});
