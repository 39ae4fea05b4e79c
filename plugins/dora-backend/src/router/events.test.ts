/*
 * POST /events, the JSON API for CI systems, through the plugin in a test backend (SQLite): service
 * credentials only, the sender from the credentials, a 400 naming the field.
 */
import {
  as,
  asService,
  DoraTestBackend,
  startDoraBackend,
} from '../__testUtils__/doraBackend';

describe('eventsRouter', () => {
  let dora: DoraTestBackend;
  const event = {
    type: 'deployment',
    id: 'ci-1',
    service: 'storefront-api',
    environment: 'production',
    status: 'success',
    deployedAt: '2026-03-01T12:00:00Z',
  };
  const post = (body: object, auth?: string) => {
    const r = dora.api().post('/api/dora/events');
    if (auth) r.set('Authorization', auth);
    return r.send(body);
  };

  beforeAll(async () => {
    dora = await startDoraBackend();
  }, 60_000);

  afterAll(() => dora?.stop());

  it('takes an event from service credentials, with the sender from the credentials, once', async () => {
    const ok = await post(event, asService());
    expect(ok.status).toBe(202);
    expect(ok.body.delivery).toMatchObject({ duplicate: false });
    const dup = await post(event, asService());
    expect(dup.status).toBe(200);
    expect(dup.body.delivery).toEqual({ ...ok.body.delivery, duplicate: true });
    await dora.settled();
    expect((await dora.deliveries('?source=api')).items).toEqual([
      expect.objectContaining({
        status: 'processed',
        sender: 'external:test-service',
        eventType: 'deployment',
      }),
    ]);
  });

  it('refuses users and anonymous callers, and answers a bad event with a 400 naming the field', async () => {
    expect((await post(event, as('dev'))).status).toBe(403);
    expect((await post(event)).status).toBe(401);
    const spoof = await post(
      { ...event, id: 'ci-2', sender: 'user:default/ben' },
      asService(),
    );
    expect(spoof.status).toBe(400);
    expect(spoof.body.error.message).toBe(
      'sender: is not a field of this request',
    );
    const bad = await post(
      { ...event, id: 'ci-3', deployedAt: 'yesterday' },
      asService(),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe(
      'deployedAt: must be an ISO 8601 time with a zone, or epoch milliseconds',
    );
    const longKey = await dora
      .api()
      .post('/api/dora/events')
      .set('Authorization', asService())
      .set('Idempotency-Key', 'k'.repeat(256))
      .send({ ...event, id: 'ci-4' });
    expect(longKey.status).toBe(400);
    expect(longKey.body.error.message).toBe(
      'Idempotency-Key: must be at most 255 characters',
    );
    // only the event of the first test is stored
    expect((await dora.deliveries('?source=api')).items).toHaveLength(1);
  });
});
