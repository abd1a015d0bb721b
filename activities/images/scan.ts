// The scan activity of an ImagePolicy: list the repository's tags, select one by the policy, and read its
// digest. Bad policies are permanent failures (nothing a retry can fix); registry faults are retried.
import { ApplicationFailure } from '@temporalio/activity';
import type { Caller } from '../../core/identity.js';
import { selectTag, type TagFilter, type TagOrder, TagPolicyError } from '../../core/image/tag-policy.js';
import { whileBeating } from '../keep-alive.js';
import { type ImageClientDeps, imageClient } from './image-client.js';
import { listTags, tagDigest } from './registry-tags.js';

/** What the scan needs: the repository, the policy and who asks. */
export interface ImageScanInput {
  caller: Caller;
  image: string;
  secretRef?: { name: string };
  policy: TagOrder;
  filterTags?: TagFilter;
}

/** The selected tag (none when no tag qualifies) and how many tags the repository lists. */
export interface ImageScanResult {
  tag?: string;
  digest?: string;
  tags: number;
}

/** Lists the tags and selects one; a bad range or pattern is a non-retryable TagPolicyError. */
export async function scanImage(deps: ImageClientDeps, input: ImageScanInput): Promise<ImageScanResult> {
  const { client, location } = await imageClient(deps, input.image, input.caller, input.secretRef);
  return whileBeating({ listing: input.image }, async () => {
    const tags = await listTags(client, location);
    let tag: string | undefined;
    try {
      tag = selectTag(tags, input.policy, input.filterTags);
    } catch (err) {
      if (err instanceof TagPolicyError)
        throw ApplicationFailure.nonRetryable(`${input.image}: ${err.message}`, 'TagPolicyError');
      throw err;
    }
    if (tag === undefined) return { tags: tags.length };
    const digest = await tagDigest(client, location, tag);
    return { tag, ...(digest ? { digest } : {}), tags: tags.length };
  });
}
