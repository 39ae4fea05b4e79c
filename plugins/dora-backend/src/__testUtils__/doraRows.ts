/*
 * Test set-up for the store tests: normalised events as the processor would hand them to the
 * stores, who they belong to, and a fresh DoraStore on a test database. For tests only (production
 * code must not import src/__testUtils__/).
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { MetricsEntity } from '@internal/plugin-dora-common';
import { ChangeEvent, DeploymentEvent, IncidentEvent } from '../ingest/events';
import { DoraStore } from '../store/DoraStore';
import { Attributed } from '../store/rows';

/** The engines every store test runs on. */
export const storeDatabases = () =>
  TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

export const HOUR = 3600_000;
export const DAY = 24 * HOUR;
/** A UTC midnight: hours after it fall on whole days of dora_lead_time_days. */
export const T0 = Date.parse('2026-01-01T00:00:00Z');
/** T0 plus `hours`, in epoch ms. */
export const h = (hours: number) => T0 + hours * HOUR;

/** A component of the payments team, and one of the storefront team. */
export const PAY: Attributed = {
  subject: 'component:default/pay',
  componentRef: 'component:default/pay',
  teamRef: 'group:default/payments',
};
export const SHOP: Attributed = {
  subject: 'component:default/shop',
  componentRef: 'component:default/shop',
  teamRef: 'group:default/storefront',
};
/** Rows of a repository the catalog does not know. */
export const UNKNOWN: Attributed = { subject: 'repo:acme/unknown' };

/** The metrics entity of a component's rows, of its team's, and of the organisation's. */
export const componentOf = (who: Attributed): MetricsEntity => ({
  kind: 'component',
  ref: who.componentRef!,
});
export const teamOf = (who: Attributed): MetricsEntity => ({
  kind: 'team',
  ref: who.teamRef!,
});
export const ORG: MetricsEntity = { kind: 'org' };

export const deploymentEvent = (
  externalId: string,
  atH: number,
  more: Partial<DeploymentEvent> = {},
): DeploymentEvent => ({
  kind: 'deployment',
  externalId,
  environment: 'production',
  status: 'success',
  at: h(atH),
  ...more,
});

export const changeEvent = (
  sha: string,
  committedH: number,
  landedH: number,
  more: Partial<ChangeEvent> = {},
): ChangeEvent => ({
  kind: 'change',
  repo: 'acme/pay',
  sha,
  committedAt: h(committedH),
  landedAt: h(landedH),
  ...more,
});

export const incidentEvent = (
  externalId: string,
  startedH: number,
  resolvedH?: number | null,
  more: Partial<IncidentEvent> = {},
): IncidentEvent => ({
  kind: 'incident',
  externalId,
  startedAt: h(startedH),
  resolvedAt:
    resolvedH === undefined || resolvedH === null ? resolvedH : h(resolvedH),
  ...more,
});

/** A migrated DoraStore on a fresh database of the engine. */
export async function freshStore(
  databases: TestDatabases,
  databaseId: Parameters<TestDatabases['init']>[0],
): Promise<DoraStore> {
  return DoraStore.create(await databases.init(databaseId));
}

/** Counted production deployments, written in one transaction: [id, hours after T0, who]. */
export async function deploy(
  store: DoraStore,
  rows: [string, number, Attributed][],
) {
  await store.transaction(async tx => {
    for (const [id, atH, who] of rows)
      await store.deployments.upsert(
        tx,
        id,
        deploymentEvent(id, atH),
        who,
        true,
        1,
      );
  });
}
