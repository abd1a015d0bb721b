// Activities of image automation: scan an ImagePolicy's repository, write a selection back to Git.
import type { Caller } from '../../core/identity.js';
import { RegistryTokens } from '../charts/registry-tokens.js';
import { egressFetch } from '../egress/guarded-fetch.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { TrustConfig } from '../trust/config.js';
import type { ProjectRegistry } from '../trust/projects.js';
import type { SecretAccess } from '../trust/secret-access.js';
import { type ImageScanInput, type ImageScanResult, scanImage } from './scan.js';
import { type WriteBackInput, type WriteBackResult, writeBack } from './write-back.js';

export type { ImageScanInput, ImageScanResult } from './scan.js';
export type { WriteBackInput, WriteBackResult } from './write-back.js';

/** What image automation needs (a subset of ActivityDeps). */
export interface ImageActivityDeps {
  secrets: SecretStore;
  secretAccess: SecretAccess;
  projects: ProjectRegistry;
  credentialsFor: (url: string, caller: Caller) => { name: string } | undefined;
  trust: Pick<TrustConfig, 'egress' | 'git' | 'helmRepositories'>;
}

/** Builds the image automation activities. */
export function imageActivities(deps: ImageActivityDeps) {
  const registry = {
    repos: deps.trust.helmRepositories,
    secrets: deps.secrets,
    secretAccess: deps.secretAccess,
    egress: egressFetch(deps.trust.egress),
    // Bearer tokens shared by this worker's scans until they expire.
    tokens: new RegistryTokens(),
  };
  return {
    /** Lists an image repository's tags and selects the policy's one, with its digest. */
    scanImagePolicy: (input: ImageScanInput): Promise<ImageScanResult> => scanImage(registry, input),
    /** Sets an automation's marked values to a selection, commits and pushes (nothing when already set). */
    imageWriteBack: (input: WriteBackInput): Promise<WriteBackResult> => writeBack(deps, input),
  };
}

/** The image activities as workflows proxy them. */
export type ImageActivities = ReturnType<typeof imageActivities>;
