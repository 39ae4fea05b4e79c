/*
 * GET /catalog-entities through the whole backend (real OPA, SQLite): a page of Resource entities
 * for service callers only, and a 400 naming the query parameter.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { ApiBackend, as, startApiBackend } from '../__testUtils__/apiBackend';

describe('catalogRouter', () => {
  let api: ApiBackend;
  const entities = (query = '') =>
    api
      .request()
      .get(api.url(`/catalog-entities${query}`))
      .set('Authorization', mockCredentials.service.header());

  beforeAll(async () => {
    api = await startApiBackend();
  }, 60_000);
  afterAll(() => api?.stop());

  it('gives the catalog every environment that is not gone, as Resources, a page at a time', async () => {
    const first = await api.create('dev', { name: 'cat-a' });
    const second = await api.create('dev', { name: 'cat-b' });
    const page = await entities('?limit=1');
    expect(page.status).toBe(200);
    expect(page.body.items).toHaveLength(1);
    expect(page.body.items[0]).toMatchObject({
      kind: 'Resource',
      metadata: {
        name: expect.stringMatching(/^env-cat-b-/),
        annotations: expect.objectContaining({
          'portal.acme.example/environment-id': second.id,
          'portal.acme.example/environment-state': 'queued',
        }),
      },
      spec: { type: 'environment', owner: 'group:default/payments' },
    });
    const next = await entities(`?limit=1&cursor=${page.body.nextCursor}`);
    expect(
      next.body.items[0].metadata.annotations[
        'portal.acme.example/environment-id'
      ],
    ).toBe(first.id);
    expect(next.body.nextCursor).toBeUndefined();
  });

  it('refuses users, and names a bad query parameter', async () => {
    const user = await api
      .request()
      .get(api.url('/catalog-entities'))
      .set('Authorization', as('dev'));
    expect(user.status).toBe(403);
    for (const [query, message] of [
      ['?limit=0', /^limit: must be a whole number from 1 to 200$/],
      ['?owner=x', /^owner: is not a query parameter of this list/],
      ['?cursor=%24', /^cursor: is not a cursor this list gave out/],
    ] as const) {
      const res = await entities(query);
      expect({
        query,
        status: res.status,
        message: res.body.error?.message,
      }).toEqual({
        query,
        status: 400,
        message: expect.stringMatching(message),
      });
    }
  });
});
