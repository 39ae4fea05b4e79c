/*
 * Scorecards from the repository's scorecards/ folder, evaluated on catalog entities (Backstage's
 * catalogServiceMock stands in for the catalog, with entities shaped like catalog/), with the real
 * DORA metrics (GitHub deliveries stored, normalised, linked and measured), results stored on
 * PostgreSQL and SQLite.
 */
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ComponentIndex } from '../attribution/Attribution';
import {
  DEFAULT_PROCESSOR_OPTIONS,
  DeliveryProcessor,
} from '../ingest/DeliveryProcessor';
import { DoraMetricsService } from '../metrics/DoraMetricsService';
import { DoraStore } from '../store/DoraStore';
import { githubPayloads } from '../seed/githubPayloads';
import { ScorecardDefinitions } from './ScorecardDefinitions';
import { ScorecardService } from './ScorecardService';
import { ScorecardStore } from '../store/ScorecardStore';

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const repoScorecards = path.resolve(__dirname, '../../../../scorecards');
const sha = (s: string) => createHash('sha1').update(s).digest('hex');
const T0 = new Date('2026-03-01T00:00:00Z');
const NOW = new Date(T0.getTime() + 30 * 24 * 3600_000);

const component = (
  name: string,
  owner: string,
  annotations: Record<string, string> = {},
  type = 'service',
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'github.com/project-slug': `acme/${name}`, ...annotations },
  },
  spec: { type, owner, lifecycle: 'production' },
});
const group = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [] },
});
const sandbox = (
  name: string,
  owner: string,
  state: string,
  expiresAt: Date,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name,
    namespace: 'default',
    annotations: {
      'portal.acme.example/environment-state': state,
      'portal.acme.example/environment-expires-at': expiresAt.toISOString(),
    },
  },
  spec: { type: 'environment', owner, lifecycle: 'experimental' },
});

const entities = [
  group('payments'),
  group('storefront'),
  // docs, golden path, and (below) daily deployments that never fail: every check passes
  component('payments-api', 'payments', {
    'backstage.io/techdocs-ref': 'dir:.',
    'backstage.io/source-template': 'template:default/node-service',
  }),
  // no docs (exempt), no template, no deployments, a quarantined sandbox: see the test
  component('checkout-web', 'storefront', {}, 'website'),
  // an owner that is not in the catalog
  component('orphan-svc', 'ghosts'),
  // not a service or website: the scorecard does not apply
  component('ui-kit', 'payments', {}, 'library'),
  sandbox(
    'env-stuck',
    'group:default/storefront',
    'quarantined',
    new Date(NOW.getTime() + 3600_000),
  ),
  sandbox(
    'env-fine',
    'group:default/payments',
    'active',
    new Date(NOW.getTime() + 3600_000),
  ),
  // expired three days before NOW: within the 7 days the check allows
  sandbox(
    'env-lagging',
    'group:default/payments',
    'active',
    new Date(NOW.getTime() - 3 * 24 * 3600_000),
  ),
];

describe.each(databases.eachSupportedId())('scorecards on %p', databaseId => {
  let service: ScorecardService;
  let definitions: ScorecardDefinitions;
  let dir: string;

  beforeAll(async () => {
    const knex = await databases.init(databaseId);
    const dora = await DoraStore.create(knex);
    const index = new ComponentIndex(
      entities.filter(e => e.kind === 'Component'),
    );
    const processor = new DeliveryProcessor(
      {
        store: dora,
        attribution: { resolve: async t => index.resolve(t) },
        sources: new Map(),
      },
      DEFAULT_PROCESSOR_OPTIONS,
    );
    // payments-api: one change a day, each deployed to production two hours later, for 30 days
    const gh = githubPayloads('acme/payments-api', T0);
    for (let day = 0; day < 30; day++) {
      const deliveries = [
        gh.push([[sha(`c${day}`), day * 24 + 1]], day * 24 + 1),
        gh.deploymentStatus(day + 1, {
          sha: sha(`c${day}`),
          atH: day * 24 + 3,
        }),
      ];
      for (const d of deliveries) {
        await dora.deliveries.insert({
          source: 'github-acme',
          sourceType: 'github',
          deliveryId: d.id,
          eventType: d.event,
          payload: JSON.stringify(d.body),
          receivedAt: T0.getTime(),
        });
      }
    }
    await processor.drain();

    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scorecards-'));
    fs.cpSync(repoScorecards, dir, { recursive: true });
    definitions = ScorecardDefinitions.load(dir);
    service = new ScorecardService({
      definitions,
      store: new ScorecardStore(knex),
      catalog: catalogServiceMock({ entities }),
      auth: mockServices.auth(),
      metrics: new DoraMetricsService(dora, {
        minimumSample: {
          deploymentFrequency: 5,
          changeLeadTime: 5,
          changeFailureRate: 5,
          failedDeploymentRecoveryTime: 1,
          deploymentReworkRate: 5,
        },
      }),
    });
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('loads the repository scorecards and exemptions, and reports a broken file by field and rule while keeping the others', () => {
    expect(definitions.list().map(c => c.metadata.name)).toEqual([
      'service-standards',
    ]);
    expect(definitions.exemptions()).toHaveLength(1);
    fs.writeFileSync(
      path.join(dir, 'broken.yaml'),
      'apiVersion: portal.acme.example/v1\nkind: Scorecard\nmetadata: { name: broken, title: Broken }\nspec:\n  appliesTo: { kinds: [Component] }\n  levels: { gold: 50, silver: 70, bronze: 40 }\n  checks:\n    - { id: x, title: X, type: dora-level, metric: deploymentFrequency, atLeast: superb }\n',
    );
    definitions.reload();
    expect(definitions.list().map(c => c.metadata.name)).toEqual([
      'service-standards',
    ]);
    expect(definitions.errors()).toEqual([
      {
        file: path.join(dir, 'broken.yaml'),
        message: expect.stringMatching(
          /spec\.levels: must be gold >= silver >= bronze.*spec\.checks\.0\.atLeast: must be one of elite, high, medium, low/,
        ),
      },
    ]);
    fs.rmSync(path.join(dir, 'broken.yaml'));
    definitions.reload();
    expect(definitions.errors()).toEqual([]);
  });

  it('grades each entity from its weighted checks, with exemptions, DORA levels and sandboxes', async () => {
    const run = await service.evaluateAll(NOW);
    expect(run).toMatchObject({ evaluated: 3, changed: 3 }); // ui-kit is a library

    // payments-api: every check passes: 11 of 11 weight = 100 -> gold
    const pay = (await service.entity('component:default/payments-api'))
      .results[0];
    expect(pay).toMatchObject({
      scorecard: 'service-standards',
      title: 'Service standards',
      score: 100,
      grade: 'gold',
      ownerRef: 'group:default/payments',
    });
    expect(pay.checks.find(c => c.id === 'deploys-often')).toMatchObject({
      outcome: 'passed',
      detail: expect.stringMatching(/^deployment frequency is high or better/),
    });

    // checkout-web: owner 3 + docs 2 (exempt) = 5 of 11 = 45.5 -> bronze. No template (1), no
    // deployments (2 + 2: insufficient data), storefront's quarantined sandbox (1).
    const checkout = (await service.entity('component:default/checkout-web'))
      .results[0];
    expect(checkout).toMatchObject({ score: 45.5, grade: 'bronze' });
    expect(
      Object.fromEntries(checkout.checks.map(c => [c.id, c.outcome])),
    ).toEqual({
      'has-owner': 'passed',
      'has-docs': 'exempt',
      'golden-path': 'failed',
      'deploys-often': 'failed',
      'changes-fail-rarely': 'failed',
      'tidy-sandboxes': 'failed',
    });
    expect(
      checkout.checks.find(c => c.id === 'has-docs')!.exemption,
    ).toMatchObject({ approvedBy: 'user:default/ana', expires: '2027-03-31' });
    expect(checkout.checks.find(c => c.id === 'deploys-often')!.detail).toMatch(
      /insufficient data \(0 in 30 days\)/,
    );
    expect(checkout.checks.find(c => c.id === 'tidy-sandboxes')!.detail).toBe(
      'group:default/storefront: env-stuck is quarantined',
    );

    // orphan-svc: its owner is not in the catalog, no docs, no template, no deployments; only
    // tidy-sandboxes passes (its owner has none): 1 of 11 = 9.1 -> none
    const orphan = (await service.entity('component:default/orphan-svc'))
      .results[0];
    expect(orphan).toMatchObject({ score: 9.1, grade: 'none' });
    expect(orphan.checks[0].detail).toBe(
      'owner group:default/ghosts is not in the catalog',
    );

    // Team rollups
    const teams = await service.teams();
    expect(
      teams.items.find(t => t.teamRef === 'group:default/storefront'),
    ).toMatchObject({
      entities: 1,
      averageScore: 45.5,
      grades: { gold: 0, silver: 0, bronze: 1, none: 0 },
    });
    expect((await service.teams('group:default/payments')).items).toEqual([
      expect.objectContaining({
        teamRef: 'group:default/payments',
        entities: 1,
        averageScore: 100,
        items: [
          {
            entityRef: 'component:default/payments-api',
            score: 100,
            grade: 'gold',
          },
        ],
      }),
    ]);
  });

  it('keeps a history point per change (and per day), and counts a check again when its exemption expires', async () => {
    // The same results an hour later: no new history points.
    expect(
      await service.evaluateAll(new Date(NOW.getTime() + 3600_000)),
    ).toMatchObject({ evaluated: 3, changed: 0 });
    // After the exemption's expiry (2027-03-31): checkout-web loses the docs check: 3 of 11 = 27.3
    const later = new Date('2027-04-02T00:00:00Z');
    await service.evaluateAll(later);
    const checkout = (await service.entity('component:default/checkout-web'))
      .results[0];
    expect(checkout).toMatchObject({ score: 27.3, grade: 'none' });
    expect(checkout.checks.find(c => c.id === 'has-docs')).toMatchObject({
      outcome: 'failed',
      detail: 'no backstage.io/techdocs-ref annotation',
    });
    expect(checkout.history.map(h => [h.score, h.grade])).toEqual([
      [45.5, 'bronze'],
      [27.3, 'none'],
    ]);
    // By then payments' sandboxes expired long ago (more than 7 days): its tidy-sandboxes check fails.
    const pay = (await service.entity('component:default/payments-api'))
      .results[0];
    expect(pay.checks.find(c => c.id === 'tidy-sandboxes')).toMatchObject({
      outcome: 'failed',
      detail:
        'group:default/payments: env-fine expired on 2026-03-31; env-lagging expired on 2026-03-28',
    });
  });
});
