// The ImagePolicy workflow's messages: what the repository watcher hands it and what `sluice image` asks.
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { ImagePolicySpec } from '../../schemas/types.generated.js';

/** One ImageUpdateAutomation that writes this policy's selection into Git. */
export interface AutomationTarget {
  /** "namespace/name". */
  name: string;
  project: string;
  repoURL: string;
  branch: string;
  path: string;
  secretRef?: { name: string };
  author?: { name: string; email: string };
}

/** An ImagePolicy with its ImageRepository, automations and image-triggered Pipelines, as the watcher sees them. */
export interface ImagePolicyConfig {
  repoId: string;
  namespace: string;
  name: string;
  /** Where it was declared, "images.yaml:7". */
  source: string;
  /** The ImageRepository: the image, its interval, its credentials and the Project it acts under. */
  repository: {
    name: string;
    image: string;
    interval: string;
    project: string;
    secretRef?: { name: string };
  };
  policy: Pick<ImagePolicySpec, 'policy' | 'filterTags'>;
  automations: AutomationTarget[];
  /** Trigger workflow IDs of the Pipelines with `trigger.image.policyRef` naming this policy. */
  pipelines: string[];
}

/** The last commit an automation made (or found already made) for a tag. */
export interface AutomationRecord {
  tag: string;
  sha: string;
  changed: boolean;
  at: string;
}

/** What the workflow carries across continue-as-new: the selection and what was done with it. */
export interface ImagePolicyState {
  scans: number;
  selected?: { tag: string; digest?: string; at: string };
  /** By automation name: the tag it last wrote. */
  written: Record<string, AutomationRecord>;
  /** By automation name: the tag whose write failed permanently, and why (retried after the next definition). */
  refused?: Record<string, { tag: string; error: string }>;
  /** By trigger workflow ID: the tag it was last told. */
  told: Record<string, string>;
  lastScan?: string;
  /** The last scan's or write's failure, cleared by the next success. */
  lastError?: string;
  tagsListed?: number;
}

/** Input of the ImagePolicy workflow. */
export interface ImagePolicyInput extends ImagePolicyConfig {
  state?: ImagePolicyState;
}

/** What the status query answers. */
export interface ImagePolicyStatus extends ImagePolicyState {
  policy: string;
  image: string;
  repoId: string;
  stopped: boolean;
}

/** A new commit changed the policy, its repository, automations or Pipelines. */
export const imagePolicyConfigSignal = defineSignal<[ImagePolicyConfig]>('imagePolicyConfig');
/** The policy was removed from Git: stop. */
export const imagePolicyStopSignal = defineSignal<[{ reason: string }]>('imagePolicyStop');
/** Scan now instead of at the next interval (`sluice image scan`). */
export const imagePolicyScanSignal = defineSignal('imagePolicyScan');
/** The policy's selection and what it wrote. */
export const imagePolicyStatusQuery = defineQuery<ImagePolicyStatus>('status');

/** What an image-triggered Pipeline's trigger workflow is told: the selection (read as `trigger.image.*`). */
export interface ImageTagNotice {
  /** "namespace/name" of the ImagePolicy. */
  policy: string;
  image: string;
  tag: string;
  digest?: string;
}

/** A policy selected a new tag: the trigger workflow starts a run with it. */
export const imageTagSignal = defineSignal<[ImageTagNotice]>('imageTag');

export { imagePolicyWorkflowId } from '../../core/workflow-ids.js';
