/*
 * GET /blueprints through the whole backend (real OPA, SQLite): the repository's blueprints by
 * name, a page at a time, for signed-in users; a 400 naming the query parameter.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { ApiBackend, startApiBackend } from '../__testUtils__/apiBackend';

describe('blueprintsRouter', () => {
  let api: ApiBackend;

  beforeAll(async () => {
    api = await startApiBackend();
  }, 60_000);
  afterAll(() => api?.stop());

  it('lists the blueprints by name, without their module, with the load errors on the first page', async () => {
    const all = await api.get('vic', '/blueprints');
    expect(all.status).toBe(200);
    const names = all.body.items.map((b: { name: string }) => b.name);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(
      expect.arrayContaining(['postgres-sandbox', 'workspace']),
    );
    expect(all.body.items[0]).not.toHaveProperty('module');
    expect(all.body.errors).toEqual([]);

    const first = await api.get('vic', '/blueprints?limit=1');
    expect(first.body.items.map((b: { name: string }) => b.name)).toEqual([
      names[0],
    ]);
    const second = await api.get(
      'vic',
      `/blueprints?limit=1&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.items.map((b: { name: string }) => b.name)).toEqual([
      names[1],
    ]);
  });

  it('refuses a caller who is not signed in, and names a bad query parameter', async () => {
    const anonymous = await api
      .request()
      .get(api.url('/blueprints'))
      .set('Authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
    for (const [query, message] of [
      ['?limit=201', /^limit: must be a whole number from 1 to 200$/],
      ['?cursor=Not-A-Name', /^cursor: is not a cursor this list gave out/],
      ['?limit=1&limit=2', /^limit: must be given once, as a plain value$/],
      ['?sort=name', /^sort: is not a query parameter of this list/],
    ] as const) {
      const res = await api.get('dev', `/blueprints${query}`);
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
