/*
 * The five DORA metrics on hand-computed fixtures: the owning team as it was when the event
 * happened, and rows given to a component the catalog learned later. On PostgreSQL 15 and SQLite
 * (TestDatabases), over the scenario of src/__testUtils__/metricsScenario.ts (GitHub payloads stored as
 * raw deliveries, normalised by the processor, attributed with a component index built from catalog
 * entities, linked, then measured). Every expected number is worked out by hand in the comments.
 */
import { ComponentIndex } from '../attribution/Attribution';
import { githubPayloads } from '../seed/githubPayloads';
import {
  AT,
  component,
  fixtureDatabases,
  metricsScenario,
  sha,
  T0,
} from '../__testUtils__/metricsScenario';

const databases = fixtureDatabases();

describe.each(databases.eachSupportedId())(
  'DORA metrics on hand-computed fixtures (attribution over time), on %p',
  databaseId => {
    const s = metricsScenario(databases, databaseId);
    const { gh, metrics, send } = s;

    it('records the owning team as it was when the event happened', async () => {
      // payments-api moves to the platform team; later deployments carry the new owner, earlier ones keep theirs
      s.attribution.index = new ComponentIndex([
        component('payments-api', 'platform', 'acme/payments-api'),
      ]);
      await send(
        gh.push([[sha('c7'), 60]], 61),
        gh.deploymentStatus(6, { sha: sha('c7'), atH: 62 }),
      );
      const payments = await metrics().getMetrics({
        entity: { kind: 'team', ref: 'group:default/payments' },
        windowDays: 30,
        at: AT,
      });
      const platform = await metrics().getMetrics({
        entity: { kind: 'team', ref: 'group:default/platform' },
        windowDays: 30,
        at: AT,
      });
      expect(payments.metrics.deploymentFrequency.sampleSize).toBe(5);
      expect(platform.metrics.deploymentFrequency.sampleSize).toBe(1);
      // D6 ships c7: 62 - 60 = 2 h, under the platform team
      expect(platform.metrics.changeLeadTime).toMatchObject({
        sampleSize: 1,
        value: 2,
      });
    });

    it('gives rows that arrived before the catalog knew their repository to the component later', async () => {
      // acme/late-svc is not in the catalog: its push and deployment are kept under repo:acme/late-svc
      const late = githubPayloads('acme/late-svc', T0);
      await send(
        late.push([[sha('l1'), 100]], 101),
        late.deploymentStatus(700, { sha: sha('l1'), atH: 103 }),
      );
      const LATE = 'component:default/late-svc';
      expect(
        (
          await metrics().getMetrics({
            entity: { kind: 'component', ref: LATE },
            windowDays: 30,
            at: AT,
          })
        ).metrics.deploymentFrequency.sampleSize,
      ).toBe(0);
      s.attribution.index = new ComponentIndex([
        component('payments-api', 'platform', 'acme/payments-api'),
        component('late-svc', 'storefront', 'acme/late-svc'),
      ]);
      expect(await s.processor.reattribute()).toEqual(['repo:acme/late-svc']);
      const m = await metrics().getMetrics({
        entity: { kind: 'component', ref: LATE },
        windowDays: 30,
        at: AT,
      });
      // 1 deployment at 103 h shipping l1 (committed at 100 h): lead time 3 h
      expect(m.metrics.deploymentFrequency.sampleSize).toBe(1);
      expect(m.metrics.changeLeadTime).toMatchObject({
        sampleSize: 1,
        value: 3,
      });
      const team = await metrics().getMetrics({
        entity: { kind: 'team', ref: 'group:default/storefront' },
        windowDays: 30,
        at: AT,
      });
      expect(team.metrics.changeLeadTime).toMatchObject({
        sampleSize: 1,
        value: 3,
      });
      expect(await s.processor.reattribute()).toEqual([]);
    });
  },
);
