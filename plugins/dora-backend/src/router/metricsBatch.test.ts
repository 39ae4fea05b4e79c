/*
 * POST /metrics/batch through the plugin in a test backend, on PostgreSQL 15 and SQLite: each
 * entity's item is what GET /metrics answers for it; an entity the caller may not see is a 404 of
 * its own, without its numbers; more than MAX_METRICS_BATCH entities, or a malformed one, is a 400
 * naming the field and the rule. Deployments come in through signed GitHub webhooks.
 */
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { Knex } from 'knex';
import { MAX_METRICS_BATCH } from '../limits';
import { githubPayloads } from '../seed/githubPayloads';
import {
  as,
  asService,
  DoraTestBackend,
  exampleComponents,
  startDoraBackend,
} from '../__testUtils__/doraBackend';

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const group = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [] },
});
const WINDOW = { window: 7, at: '2026-03-02T00:00:00Z' };
const ASKED = [
  'org',
  'group:default/payments',
  'component:default/payments-api',
  'Group:default/Storefront', // as written: answered under the same spelling
  'component:default/checkout-web',
];

describe.each(databases.eachSupportedId())(
  'POST /metrics/batch on %p',
  databaseId => {
    let dora: DoraTestBackend;
    let knex: Knex;
    const batch = (body: object, auth = as('dev')) =>
      dora
        .api()
        .post('/api/dora/metrics/batch')
        .set('Authorization', auth)
        .send(body);
    const get = (entity: string) =>
      dora
        .api()
        .get('/api/dora/metrics')
        .query({ ...WINDOW, entity })
        .set('Authorization', as('dev'));

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      dora = await startDoraBackend({
        entities: [
          ...exampleComponents(),
          group('payments'),
          group('storefront'),
        ],
        features: [mockServices.database.factory({ knex })],
      });
      // payments-api deploys twice and checkout-web once in the day before 2026-03-02
      const deployments = [
        ['acme/payments-api', 701, 1],
        ['acme/payments-api', 702, 5],
        ['acme/checkout-web', 703, 9],
      ] as const;
      for (const [repo, id, atH] of deployments) {
        const gh = githubPayloads(repo, new Date('2026-03-01T00:00:00Z'));
        const d = gh.deploymentStatus(id, {
          sha: `${id}`.repeat(13).slice(0, 40),
          atH,
        });
        const res = await dora.github(
          'deployment_status',
          `deploy-${id}`,
          JSON.stringify(d.body),
        );
        if (res.status !== 202) throw new Error(`deploy-${id}: ${res.status}`);
      }
      await dora.settled();
      // the plugin's rows are in this engine's database
      const [{ n }] = await knex('dora_deployments').count({ n: '*' });
      if (Number(n) !== 3) throw new Error(`${n} deployments stored, not 3`);
    }, 60_000);

    afterAll(() => dora?.stop());

    it('answers each entity, in the order asked, what GET /metrics answers for it', async () => {
      const res = await batch({ ...WINDOW, entities: ASKED });
      expect(res.status).toBe(200);
      expect(res.body.items.map((i: any) => i.entity)).toEqual(ASKED);
      for (const [i, entity] of ASKED.entries()) {
        const one = await get(entity);
        expect(one.status).toBe(200);
        expect(res.body.items[i]).toEqual({ entity, result: one.body });
      }
      const deployments = res.body.items.map(
        (i: any) => i.result.metrics.deploymentFrequency.sampleSize,
      );
      expect(deployments).toEqual([3, 2, 2, 1, 1]);
      // a service (no catalog visibility check) gets the same answer
      const service = await batch({ ...WINDOW, entities: ASKED }, asService());
      expect(service.body).toEqual(res.body);
    });

    it('answers an entity the caller may not see with the 404 of GET /metrics, and nothing of its numbers', async () => {
      const hidden = 'component:default/not-in-the-catalog';
      const res = await batch({
        ...WINDOW,
        entities: ['component:default/payments-api', hidden, 'org'],
      });
      expect(res.status).toBe(200);
      const one = await get(hidden);
      expect(one.status).toBe(404);
      expect(res.body.items[1]).toEqual({
        entity: hidden,
        error: {
          name: 'NotFoundError',
          message: one.body.error.message,
          statusCode: 404,
        },
      });
      expect(res.body.items[1].error.message).toBe(
        `entity: ${hidden} is not in the catalog, or you may not see it`,
      );
      expect(res.body.items[0].result.entity).toBe(
        'component:default/payments-api',
      );
      expect(res.body.items[2].result.entity).toBe('org');
      // every entity hidden: every item an error, no metrics read
      const none = await batch({ ...WINDOW, entities: [hidden] });
      expect(none.body).toEqual({ items: [res.body.items[1]] });
    });

    it(`refuses more than ${MAX_METRICS_BATCH} entities, and a malformed request, with a 400 naming the field and rule`, async () => {
      const many = Array.from(
        { length: MAX_METRICS_BATCH + 1 },
        (_, i) => `group:default/team-${i}`,
      );
      const tooMany = await batch({ ...WINDOW, entities: many });
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.error.message).toBe(
        `entities: must name at most ${MAX_METRICS_BATCH} entities a request (ask for more in several requests)`,
      );
      // the limit itself is accepted (teams not in the catalog: a 404 item each)
      const atLimit = await batch({
        ...WINDOW,
        entities: many.slice(0, MAX_METRICS_BATCH),
      });
      expect(atLimit.status).toBe(200);
      expect(atLimit.body.items).toHaveLength(MAX_METRICS_BATCH);
      const cases: Array<[object, RegExp | string]> = [
        [{ ...WINDOW }, /^entities: is required/],
        [
          { ...WINDOW, entities: [] },
          'entities: must name at least one entity',
        ],
        [
          { ...WINDOW, entities: ['org', 'user:default/dev'] },
          /^entities\.1: must be org, a component ref/,
        ],
        [{ ...WINDOW, entities: 'org' }, /^entities: is required/],
        [{ entities: ['org'], window: 400 }, 'window: must be at most 366'],
        [
          { entities: ['org'], entity: 'org' },
          'entity: is not a field of this request',
        ],
        [
          { entities: ['org'], benchmark: 'nope' },
          /^benchmark: must be one of/,
        ],
      ];
      for (const [body, message] of cases) {
        const res = await batch(body);
        expect([res.status, res.body.error?.message]).toEqual([
          400,
          expect.stringMatching(message),
        ]);
      }
      const anonymous = await dora
        .api()
        .post('/api/dora/metrics/batch')
        .send({ entities: ['org'] });
      expect(anonymous.status).toBe(401);
    });
  },
);
