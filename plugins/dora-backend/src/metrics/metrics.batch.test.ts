/*
 * getMetricsMany (the batch route and the scorecards read many entities' metrics with it) answers
 * for each entity exactly what getMetrics answers for it alone, on PostgreSQL 15 and SQLite: over
 * the fixtures' scenario (src/__testUtils__/metricsScenario.ts) and a second component of another
 * team, for components, teams, the organisation and entities without rows, over windows that end
 * at midnight and windows that cut days, and over more refs than one statement names.
 */
import { ComponentIndex } from '../attribution/Attribution';
import { REFS_A_STATEMENT } from '../store/MetricsBatchStore';
import { githubPayloads } from '../seed/githubPayloads';
import {
  AT,
  component,
  fixtureDatabases,
  metricsScenario,
  PAY,
  sha,
  T0,
} from '../__testUtils__/metricsScenario';
import { MetricsEntity } from '@internal/plugin-dora-common';

const databases = fixtureDatabases();
const CHECKOUT = 'component:default/checkout-web';
const H = 3600_000;

describe.each(databases.eachSupportedId())(
  'getMetricsMany against getMetrics, on %p',
  databaseId => {
    const s = metricsScenario(databases, databaseId);

    beforeAll(async () => {
      // checkout-web (storefront): a deployment every 6 hours from 3 h, its change committed an
      // hour or more before; the fourth one rolled back 2 hours later, an incident resolved in 3 h
      s.attribution.index = new ComponentIndex([
        component('payments-api', 'payments', 'acme/payments-api'),
        component('checkout-web', 'storefront', 'acme/checkout-web'),
      ]);
      const gh = githubPayloads('acme/checkout-web', T0);
      const deliveries = [];
      for (let i = 0; i < 8; i++) {
        const at = 3 + 6 * i;
        deliveries.push(
          gh.push([[sha(`w${i}`), at - 1 - (i % 3)]], at - 1),
          gh.deploymentStatus(600 + i, { sha: sha(`w${i}`), atH: at }),
        );
      }
      deliveries.push(
        gh.deploymentStatus(700, { sha: sha('w2'), atH: 23 }),
        gh.issue(801, {
          openedH: 33,
          closedH: 36,
          body: `Cart errors\nRoot-cause: ${sha('w5').slice(0, 10)}`,
        }),
      );
      await s.send(...deliveries);
    });

    const entities: MetricsEntity[] = [
      { kind: 'component', ref: PAY },
      { kind: 'org' },
      { kind: 'team', ref: 'group:default/payments' },
      { kind: 'component', ref: CHECKOUT },
      { kind: 'team', ref: 'group:default/storefront' },
      { kind: 'component', ref: 'component:default/nothing-here' },
      { kind: 'team', ref: 'group:default/nobody' },
      { kind: 'component', ref: PAY }, // asked twice: answered twice
    ];
    const windows = [
      { windowDays: 30, at: AT }, // ends at midnight: whole days only
      { windowDays: 1, at: new Date(T0.getTime() + 46 * H) }, // cuts days
      { windowDays: 1, at: new Date(T0.getTime() + 30.5 * H) },
      { windowDays: 2, at: new Date(T0.getTime() + 49.25 * H) },
    ];

    it.each(windows)(
      'answers each entity what getMetrics answers (window $windowDays day(s) to $at)',
      async window => {
        const metrics = s.metrics(1);
        const many = await metrics.getMetricsMany({ ...window, entities });
        const one = await Promise.all(
          entities.map(entity => metrics.getMetrics({ ...window, entity })),
        );
        expect(many).toEqual(one);
        // the scenario is not empty: the comparison is between numbers
        expect(many[3].metrics.deploymentFrequency.sampleSize).toBeGreaterThan(
          0,
        );
      },
    );

    it('has rows behind the comparison: both teams and both windows', async () => {
      const [pay, org, team, checkout, storefront] = await s
        .metrics(1)
        .getMetricsMany({
          windowDays: 1,
          at: new Date(T0.getTime() + 46 * H),
          entities: entities.slice(0, 5),
        });
      expect(pay.metrics.changeLeadTime.sampleSize).toBe(5);
      expect(team.metrics.changeLeadTime.sampleSize).toBe(5);
      expect(
        checkout.metrics.deploymentFrequency.sampleSize,
      ).toBeGreaterThanOrEqual(4);
      expect(checkout.metrics.changeFailureRate.value).toBeGreaterThan(0);
      expect(storefront.metrics).toEqual(checkout.metrics);
      expect(org.metrics.deploymentFrequency.sampleSize).toBe(
        pay.metrics.deploymentFrequency.sampleSize +
          checkout.metrics.deploymentFrequency.sampleSize,
      );
    });

    it('reads more refs than one statement names, in chunks, with the same answers', async () => {
      const window = { windowDays: 2, at: new Date(T0.getTime() + 49.25 * H) };
      // components without rows fill the first statement; checkout-web opens the second
      const filler = Array.from(
        { length: REFS_A_STATEMENT + 20 },
        (_, i): MetricsEntity => ({
          kind: 'component',
          ref: `component:default/filler-${i}`,
        }),
      );
      const asked: MetricsEntity[] = [
        ...filler.slice(0, REFS_A_STATEMENT),
        { kind: 'component', ref: CHECKOUT },
        { kind: 'team', ref: 'group:default/storefront' },
        ...filler.slice(REFS_A_STATEMENT),
        { kind: 'component', ref: PAY },
      ];
      const metrics = s.metrics(1);
      const many = await metrics.getMetricsMany({ ...window, entities: asked });
      expect(many.map(m => m.entity)).toEqual(
        asked.map(e => (e.kind === 'org' ? 'org' : e.ref)),
      );
      const last = asked.length - 1;
      for (const i of [0, REFS_A_STATEMENT, REFS_A_STATEMENT + 1, last])
        expect(many[i]).toEqual(
          await metrics.getMetrics({ ...window, entity: asked[i] }),
        );
      expect(
        many[REFS_A_STATEMENT].metrics.deploymentFrequency.sampleSize,
      ).toBeGreaterThan(0);
    });
  },
);
