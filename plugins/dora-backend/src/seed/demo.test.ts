/*
 * The embedded default's first start: the dora plugin seeds its demo history (signed GitHub
 * deliveries through its own webhook endpoint, over HTTP), normalises and links it, and answers
 * metrics, drill-downs and scorecards for the example catalog. The catalog is served in memory
 * (catalogServiceMock) with the entities of catalog/*.yaml; sign-in is simulated with mock
 * credentials.
 */
import { coreServices } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  actorAwareMockAuthFactory,
  captureService,
  orgUserInfoFactory,
} from '@internal/backend-test-utils';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parseAllDocuments } from 'yaml';
import { doraPlugin } from '../plugin';
import { DemoSeeder } from './DemoSeeder';

const repo = path.resolve(__dirname, '../../../..');
const as = (user: string) =>
  mockCredentials.user.header(`user:default/${user}`);
const entities = ['components.yaml', 'org.yaml']
  .flatMap(f =>
    parseAllDocuments(
      fs.readFileSync(path.join(repo, 'catalog', f), 'utf8'),
    ).map(d => d.toJS() as Entity),
  )
  .filter(e => e?.kind === 'Component' || e?.kind === 'Group');

describe('demo data on first start', () => {
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  const scheduler = captureService('dora', coreServices.scheduler);
  const api = (url: string) =>
    request(backend.server)
      .get(`/api/dora${url}`)
      .set('Authorization', as('dev'));

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        mockServices.rootLogger.factory({
          level: (process.env.TEST_LOG_LEVEL as any) ?? 'none',
        }),
        mockServices.rootConfig.factory({
          data: {
            dora: {
              scaffolder: { sync: false },
              sources: [
                {
                  id: 'github-demo',
                  type: 'github',
                  secret: 'demo-secret-for-the-test-0123',
                },
              ],
              demo: { seed: true, source: 'github-demo' },
              scorecards: { dir: path.join(repo, 'scorecards') },
            },
          },
        }),
        catalogServiceMock.factory({ entities }),
        actorAwareMockAuthFactory,
        orgUserInfoFactory,
        scheduler.feature,
        doraPlugin,
      ],
    });
  }, 60_000);

  afterAll(() => backend?.stop());

  it('seeds a signed history through the webhook endpoint, and the example components get metrics, drill-downs and scorecards', async () => {
    // The seeder runs in the background after start; wait until everything sent is normalised.
    let counts: Record<string, number> = {};
    for (let i = 0; i < 600; i++) {
      counts = (await api('/deliveries')).body.counts;
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      if (total > 500 && !counts.pending && !counts.processing) {
        await new Promise(r => setTimeout(r, 500));
        const again: Record<string, number> = (await api('/deliveries')).body
          .counts;
        if (Object.values(again).reduce((a, b) => a + b, 0) === total) break;
      }
      await scheduler.get().triggerTask('dora-normalise');
      await new Promise(r => setTimeout(r, 200));
    }
    expect(counts.processed).toBeGreaterThan(500);
    expect(counts.failed ?? 0).toBe(0);

    // payments-api deploys more than daily: 30 days give a sample and a level for its frequency
    const pay = (
      await api('/metrics?entity=component:default/payments-api&window=30')
    ).body;
    expect(pay.metrics.deploymentFrequency).toMatchObject({
      insufficientData: false,
      level: expect.stringMatching(/elite|high/),
    });
    expect(pay.metrics.deploymentFrequency.sampleSize).toBeGreaterThan(20);
    expect(pay.metrics.changeLeadTime.value).toBeGreaterThan(0);
    const rows = (
      await api(
        '/metrics/drilldown?entity=component:default/payments-api&window=30&metric=deploymentFrequency',
      )
    ).body.rows;
    expect(rows.filter((r: any) => r.type === 'deployment')).toHaveLength(
      pay.metrics.deploymentFrequency.sampleSize,
    );
    // ledger-service is slow, and the organisation sees all four repositories
    const ledger = (
      await api('/metrics?entity=component:default/ledger-service&window=90')
    ).body;
    expect(ledger.metrics.deploymentFrequency.value).toBeLessThan(
      pay.metrics.deploymentFrequency.value,
    );
    const org = (await api('/metrics?entity=org&window=90')).body;
    expect(org.metrics.deploymentFrequency.sampleSize).toBeGreaterThan(
      ledger.metrics.deploymentFrequency.sampleSize +
        pay.metrics.deploymentFrequency.sampleSize,
    );

    // Scorecards from the repository's scorecards/ folder, on the same data
    await scheduler.get().triggerTask('dora-scorecards');
    let card: any;
    for (let i = 0; i < 100 && !card; i++) {
      card = (
        await api('/scorecards/entity?entityRef=component:default/payments-api')
      ).body.results?.[0];
      if (!card) await new Promise(r => setTimeout(r, 100));
    }
    expect(card).toMatchObject({
      scorecard: 'service-standards',
      title: 'Service standards',
      ownerRef: 'group:default/payments',
    });
    expect(
      card.checks.find((c: any) => c.id === 'deploys-often'),
    ).toMatchObject({ outcome: 'passed' });
    const teams = (await api('/scorecards/teams')).body.items.map(
      (t: any) => t.teamRef,
    );
    expect(teams).toEqual(
      expect.arrayContaining([
        'group:default/payments',
        'group:default/storefront',
      ]),
    );
    expect((await api('/scorecards/entity?entityRef=not-a-ref')).status).toBe(
      400,
    );
  }, 180_000);

  /** Every delivery stored, whatever its state. */
  const total = async () =>
    Object.values(
      (await api('/deliveries')).body.counts as Record<string, number>,
    ).reduce((a, b) => a + b, 0);
  /** A seeder of the test's github-demo source, sending to the backend's own webhook endpoint. */
  const seeder = (stored: () => Promise<number>, repositories?: string[]) =>
    new DemoSeeder({
      source: {
        id: 'github-demo',
        type: 'github',
        secret: 'demo-secret-for-the-test-0123',
        incidentLabels: ['incident'],
      },
      repositories,
      countDeliveries: stored,
      baseUrl: async () =>
        `http://localhost:${(backend.server.address() as any).port}/api/dora`,
    });

  it('does not seed again once the history is stored, and completes a seeding cut short without storing anything twice', async () => {
    const before = await total();
    expect(await seeder(total).seedIfEmpty()).toBe(0);
    // as if the first start had stored only some: everything is sent again, all of it duplicates
    const sent = await seeder(async () => 10).seedIfEmpty();
    expect(sent).toBeGreaterThan(500);
    expect(await total()).toBe(before);
  }, 120_000);

  it('seeds the repositories it is given (dora.demo.repositories), the example profiles in turn', async () => {
    const before = await total();
    // as if nothing were stored: the given repositories' deliveries are new
    const sent = await seeder(
      async () => 0,
      ['acme/generated-one', 'acme/generated-two'],
    ).seedIfEmpty();
    expect(sent).toBeGreaterThan(100);
    expect(await total()).toBe(before + sent);
  }, 120_000);
});
