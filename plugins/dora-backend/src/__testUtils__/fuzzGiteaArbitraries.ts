/*
 * Generators of the dora fuzz suite's Gitea deliveries (src/fuzz.webhooks.test.ts): GitHub-shaped
 * issue and push bodies (Gitea's have GitHub's shape), merged and unmerged pull requests, and
 * releases (published, updated, drafts, pre-releases, odd ids and targets), with Gitea's event
 * names, delivery ids and signatures; the rest is shared with fuzzWebhookArbitraries.ts. For tests only.
 */
import fc from 'fast-check';
import {
  bodyBytes,
  contentEncoding,
  contentType,
  deliveryId,
  githubBody,
  headerValue,
  hex,
  incidentText,
  labels,
  shortText,
  signatureKind,
  T,
} from './fuzzWebhookArbitraries';

const repository = fc.record({
  full_name: fc.constantFrom('acme/payments-api', 'platform/node-hello'),
  default_branch: fc.constant('main'),
});

const giteaBody = fc.oneof(
  githubBody,
  fc.record(
    {
      action: fc.constantFrom('closed', 'synchronized', 'label_updated'),
      number: fc.nat(),
      pull_request: fc.record(
        {
          number: fc.nat(),
          title: incidentText,
          labels,
          merged: fc.boolean(),
          merge_commit_sha: fc.oneof(hex(), fc.constant(null)),
          created_at: T,
          merged_at: T,
        },
        { requiredKeys: [] },
      ),
      repository,
    },
    { requiredKeys: [] },
  ),
  fc.record(
    {
      action: fc.constantFrom('published', 'updated', 'deleted'),
      release: fc.record(
        {
          id: fc.oneof(fc.nat(), shortText, fc.constant(1e300)),
          tag_name: shortText,
          target_commitish: fc.oneof(
            hex({ minLength: 40, maxLength: 40 }),
            fc.constant('main'),
            shortText,
          ),
          name: fc.oneof(
            shortText,
            fc.constantFrom('Rollback to v1', 'rollbac '.repeat(1000)),
          ),
          draft: fc.boolean(),
          prerelease: fc.boolean(),
          published_at: T,
          created_at: T,
          html_url: shortText,
        },
        { requiredKeys: [] },
      ),
      repository,
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue({ maxDepth: 4 }),
);

/** A delivery to the gitea source: X-Gitea-Event, X-Gitea-Delivery and X-Gitea-Signature (bare hex). */
export const giteaWebhookRequest = fc.record({
  type: fc.constant('gitea' as const),
  source: fc.constantFrom('gitea-fuzz'),
  body: bodyBytes(giteaBody),
  event: fc.oneof(
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        'issues',
        'push',
        'pull_request',
        'release',
        'create',
      ),
    },
    { weight: 1, arbitrary: headerValue },
  ),
  delivery: deliveryId,
  signature: signatureKind,
  contentType,
  contentEncoding,
});
