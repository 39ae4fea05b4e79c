/*
 * The events of bench/dora-ingest.sh: signed GitHub deliveries for one component, a quarter each of
 * pushes, merged pull requests, deployment statuses and incident issues.
 */
import { Entity } from '@backstage/catalog-model';
import { createHmac } from 'node:crypto';
import { githubPayloads } from '../src/seed/githubPayloads';

export const benchComponent: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    namespace: 'default',
    annotations: { 'github.com/project-slug': 'acme/payments-api' },
  },
  spec: { type: 'service', owner: 'payments', lifecycle: 'production' },
};

export interface BenchEvent {
  event: string;
  id: string;
  /** The body exactly as sent and signed. */
  raw: string;
  signature: string;
}

/** A round's `count` events, signed with `secret`; delivery ids are unique across rounds. */
export function makeEvents(
  round: number,
  count: number,
  secret: string,
): BenchEvent[] {
  const gh = githubPayloads(
    'acme/payments-api',
    new Date(Date.UTC(2026, 0, 1 + round)),
  );
  return Array.from({ length: count }, (_, i) => {
    const sha = (i + round * count).toString(16).padStart(40, '0');
    const n = round * count + i;
    const kinds = [
      () => gh.push([[sha, i / 100, `change ${i}`]], i / 100),
      () => gh.mergedPullRequest(n, sha, i / 100 - 1, i / 100),
      () => gh.deploymentStatus(n, { sha, atH: i / 100 }),
      () => gh.issue(n, { openedH: i / 100, closedH: i / 100 + 1 }),
    ];
    const d = kinds[i % 4]();
    const raw = JSON.stringify(d.body);
    return {
      event: d.event,
      id: `r${round}-${d.id}`,
      raw,
      signature: `sha256=${createHmac('sha256', secret)
        .update(raw)
        .digest('hex')}`,
    };
  });
}
