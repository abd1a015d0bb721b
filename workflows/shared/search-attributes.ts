import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Application name, so the Temporal UI lists every workflow of one app. */
export const SluiceApp = defineSearchAttributeKey('SluiceApp', SearchAttributeType.KEYWORD);
/** Workflow kind: repo-watcher, application, sync, rollout, pipeline. */
export const SluiceKind = defineSearchAttributeKey('SluiceKind', SearchAttributeType.KEYWORD);
/** Commit SHA the workflow works on. */
export const SluiceRevision = defineSearchAttributeKey('SluiceRevision', SearchAttributeType.KEYWORD);
/** Current phase, e.g. Watching, Invalid, Progressing, Promoted. */
export const SluicePhase = defineSearchAttributeKey('SluicePhase', SearchAttributeType.KEYWORD);

/** The search attributes an application workflow starts with, however it is started. */
export function applicationSearchAttributes(app: { name: string; revision: string }) {
  return [
    { key: SluiceApp, value: app.name },
    { key: SluiceKind, value: 'application' },
    { key: SluiceRevision, value: app.revision },
  ];
}

/** Every search attribute Sluice's workflows set: what a namespace must have registered before they start. */
export const sluiceSearchAttributeKeys = [SluiceApp, SluiceKind, SluiceRevision, SluicePhase] as const;
