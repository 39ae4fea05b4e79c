/*
 * POST /metrics/batch in a whole portal backend (__testUtils__/portalBackend.ts: the real catalog
 * with the visibility module, the permission backend with a real OPA on policies/, the dora
 * plugin on SQLite): the catalog's one read for the whole batch hides a confidential component
 * from another team exactly as GET /metrics does, entity by entity, and shows it to its owners.
 */
import { as } from '../__testUtils__/doraBackend';
import {
  PortalBackend,
  startPortalBackend,
} from '../__testUtils__/portalBackend';

const AT = '2026-03-02T00:00:00Z';
const LEDGER = 'component:default/ledger-service';
const PAYMENTS = 'component:default/payments-api';
const ASKED = [PAYMENTS, LEDGER, 'group:default/payments', 'org'];

describe('POST /metrics/batch and catalog visibility', () => {
  let portal: PortalBackend;
  const batch = (user: string) =>
    portal
      .api()
      .post('/api/dora/metrics/batch')
      .set('Authorization', as(user))
      .send({ entities: ASKED, window: 7, at: AT });
  const get = (user: string, entity: string) =>
    portal
      .api()
      .get('/api/dora/metrics')
      .query({ entity, window: 7, at: AT })
      .set('Authorization', as(user));

  beforeAll(async () => {
    // dev (payments) sees the confidential ledger-service; chloe (storefront) sees payments-api
    portal = await startPortalBackend([
      ['dev', LEDGER],
      ['chloe', PAYMENTS],
    ]);
    for (const [slug, id] of [
      ['acme/payments-api', 511],
      ['acme/ledger-service', 512],
    ] as const)
      await portal.deployGithub(slug, id, 'd'.repeat(40));
    await portal.settled();
  }, 120_000);

  afterAll(() => portal?.stop());

  it('answers each entity as GET /metrics answers the same person: a 404 item, without numbers, for what they may not see', async () => {
    for (const user of ['chloe', 'dev']) {
      const res = await batch(user);
      expect(res.status).toBe(200);
      for (const [i, entity] of ASKED.entries()) {
        const one = await get(user, entity);
        expect({ user, entity, item: res.body.items[i] }).toEqual({
          user,
          entity,
          item:
            one.status === 200
              ? { entity, result: one.body }
              : {
                  entity,
                  error: {
                    name: one.body.error.name,
                    message: one.body.error.message,
                    statusCode: one.status,
                  },
                },
        });
      }
    }
    // chloe may not see the ledger: its item says so and holds nothing else
    const chloe = (await batch('chloe')).body.items;
    expect(chloe[1]).toEqual({
      entity: LEDGER,
      error: {
        name: 'NotFoundError',
        message: `entity: ${LEDGER} is not in the catalog, or you may not see it`,
        statusCode: 404,
      },
    });
    expect(chloe[0].result.metrics.deploymentFrequency.sampleSize).toBe(1);
    // its owners see its deployment
    const dev = (await batch('dev')).body.items;
    expect(dev[1].result.metrics.deploymentFrequency.sampleSize).toBe(1);
  });
});
