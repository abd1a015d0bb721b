// Keeping one child workflow per record of a commit in line with the records: the repository watcher
// does this for Pipelines (pipeline/watch.ts) and ImagePolicies (image/watch.ts). Workflow code: running
// watchers replay its commands, so their kinds and order must not change (test/workflow/repo-watcher-children.test.ts).
import type { SearchAttributePair } from '@temporalio/common';
import { getExternalWorkflowHandle, type SignalDefinition } from '@temporalio/workflow';
import { signalStop, startOrSignal } from './watched-child.js';

/** What a watcher remembers of each child, by workflow ID: the name it shows and the hash of its config. */
export type ChildRecords = Record<string, { name: string; hash: string }>;

/** What differs between kinds of children: the workflow, its signals, and how a config is hashed and shown. */
export interface ChildKind<C> {
  /** The child workflow, started with the config as its input. */
  workflow: (config: C) => Promise<unknown>;
  /** Hands a running child its changed config. */
  configSignal: SignalDefinition<[C]>;
  /** Tells a child its record is gone. */
  stopSignal: SignalDefinition<[{ reason: string }]>;
  /** The hash of what the child must hear about (not what changes with every commit). */
  hash: (config: C) => string;
  /** The name the watcher shows for the record. */
  name: (config: C) => string;
  /** The search attributes a child starts with. */
  searchAttributes: (config: C) => SearchAttributePair[];
  /** What the log calls a child. */
  what: string;
}

/**
 * Starts a child for each new record (or signals one already running under its ID), signals each whose
 * config's hash changed, in the order of `configs`; then stops each of `known` that `configs` lacks.
 * Answers the records to keep.
 */
export async function keepChildrenInLine<C>(
  kind: ChildKind<C>,
  configs: Map<string, C>,
  known: ChildRecords,
  sha: string,
): Promise<ChildRecords> {
  const records: ChildRecords = {};
  for (const [id, config] of configs) {
    const hash = kind.hash(config);
    const record = known[id];
    if (!record)
      await startOrSignal(
        kind.workflow,
        { workflowId: id, input: config, typedSearchAttributes: kind.searchAttributes(config) },
        kind.configSignal,
        config,
      );
    else if (record.hash !== hash) await getExternalWorkflowHandle(id).signal(kind.configSignal, config);
    records[id] = { name: kind.name(config), hash };
  }
  for (const id of Object.keys(known))
    if (!configs.has(id))
      await signalStop(id, kind.what, kind.stopSignal, { reason: `removed at ${sha.slice(0, 7)}` });
  return records;
}
