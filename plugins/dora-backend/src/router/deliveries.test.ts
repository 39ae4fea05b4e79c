/*
 * The stored deliveries (GET /deliveries, GET /deliveries/:id, POST /deliveries/:id/retry) through
 * the plugin in a test backend (SQLite): paged lists with counts, a retry recorded, and 4xx
 * answers naming the field.
 */
import {
  as,
  DoraTestBackend,
  startDoraBackend,
} from '../__testUtils__/doraBackend';

describe('deliveriesRouter', () => {
  let dora: DoraTestBackend;
  const star = (n: number) =>
    JSON.stringify({
      action: 'created',
      starred_at: '2026-03-01T00:00:00Z',
      repository: { full_name: 'acme/payments-api' },
      n,
    });
  const get = (url: string) =>
    dora.api().get(`/api/dora${url}`).set('Authorization', as('dev'));

  beforeAll(async () => {
    dora = await startDoraBackend();
    for (const n of [1, 2, 3]) {
      const res = await dora.github('star', `star-${n}`, star(n));
      if (res.status !== 202) throw new Error(`star-${n}: ${res.status}`);
    }
    await dora.settled();
  }, 60_000);

  afterAll(() => dora?.stop());

  it('lists deliveries newest first, a page at a time, with the counts by status', async () => {
    const first = await get('/deliveries?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items.map((d: any) => d.deliveryId)).toEqual([
      'star-3',
      'star-2',
    ]);
    expect(first.body.nextOffset).toBe(2);
    expect(first.body.counts).toEqual({ ignored: 3 });
    const second = await get('/deliveries?limit=2&offset=2&status=ignored');
    expect(second.body.items.map((d: any) => d.deliveryId)).toEqual(['star-1']);
    expect(second.body.nextOffset).toBeUndefined();
    expect((await get('/deliveries?source=gitlab-acme')).body.items).toEqual(
      [],
    );
  });

  it('sends a stored delivery through normalising again on request, and records it', async () => {
    const { items } = (await get('/deliveries?status=ignored')).body;
    const one = items.find((i: any) => i.deliveryId === 'star-1');
    const retried = await dora
      .api()
      .post(`/api/dora/deliveries/${one.id}/retry`)
      .set('Authorization', as('dev'));
    expect(retried.status).toBe(202);
    expect(retried.body.delivery).toMatchObject({ id: one.id });
    expect(retried.body.delivery.payload).toBeUndefined();
    await dora.settled();
    const again = await get(`/deliveries/${one.id}`);
    expect(again.body.delivery).toMatchObject({
      status: 'ignored',
      attempts: 2,
      eventType: 'star',
    });
    expect(JSON.parse(again.body.delivery.payload).repository.full_name).toBe(
      'acme/payments-api',
    );
  });

  it('answers without credentials with 401, and a bad query or id with a 400 naming the field', async () => {
    expect((await dora.api().get('/api/dora/deliveries')).status).toBe(401);
    for (const [url, message] of [
      ['/deliveries?status=done', /^status: must be one of pending, /],
      ['/deliveries?limit=0', /^limit: must be at least 1$/],
      ['/deliveries/abc', /^id: must be a delivery id/],
      ['/deliveries/0', /^id: must be a delivery id/],
    ] as const) {
      const res = await get(url);
      expect({ url, status: res.status }).toEqual({ url, status: 400 });
      expect(res.body.error.message).toMatch(message);
    }
    const retry = await dora
      .api()
      .post('/api/dora/deliveries/-1/retry')
      .set('Authorization', as('dev'));
    expect(retry.status).toBe(400);
    expect(retry.body.error.message).toMatch(/^id: /);
  });
});
