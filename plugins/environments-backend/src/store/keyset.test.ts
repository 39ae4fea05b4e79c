/*
 * The newest-first keyset on PostgreSQL 15 and SQLite via TestDatabases, on a table of its own:
 * pages in (created_at, id) order, rows of equal times told apart by their id.
 */
import { Knex } from 'knex';
import { storeDatabases } from '../__testUtils__/storeFixtures';
import { CreatedCursor, newestFirstPage } from './keyset';

const databases = storeDatabases();

describe.each(databases.eachSupportedId())('keyset pages on %p', databaseId => {
  let knex: Knex;
  const base = Date.UTC(2026, 0, 1);
  // ids a..j; c, d and e share one time, as do h and i
  const times: Record<string, number> = {
    a: 1,
    b: 2,
    c: 3,
    d: 3,
    e: 3,
    f: 4,
    g: 5,
    h: 6,
    i: 6,
    j: 7,
  };

  beforeAll(async () => {
    knex = await databases.init(databaseId);
    await knex.schema.createTable('keyset_rows', t => {
      t.string('id').primary();
      t.datetime('created_at').notNullable();
    });
    await knex('keyset_rows').insert(
      Object.entries(times).map(([id, m]) => ({
        id,
        created_at: new Date(base + m * 60_000),
      })),
    );
  });

  const page = async (
    limit: number,
    cursor?: CreatedCursor,
  ): Promise<CreatedCursor[]> =>
    (await newestFirstPage(knex('keyset_rows'), { limit, cursor })).map(
      (r: { id: string; created_at: unknown }) => ({
        id: r.id,
        at: new Date(r.created_at as string).getTime(),
      }),
    );

  it('gives limit + 1 rows newest first, and every row once across pages', async () => {
    expect((await page(3)).map(r => r.id)).toEqual(['j', 'i', 'h', 'g']);
    for (const limit of [1, 2, 3, 4, 10]) {
      const seen: string[] = [];
      let cursor: CreatedCursor | undefined;
      for (let n = 0; n < 20; n++) {
        const rows = await page(limit, cursor);
        seen.push(...rows.slice(0, limit).map(r => r.id));
        if (rows.length <= limit) break;
        cursor = rows[limit - 1];
      }
      expect({ limit, seen }).toEqual({
        limit,
        seen: ['j', 'i', 'h', 'g', 'f', 'e', 'd', 'c', 'b', 'a'],
      });
    }
  });

  it('starts after the cursor even when the cursor row shares its time with others', async () => {
    const d = { id: 'd', at: base + 3 * 60_000 };
    expect((await page(10, d)).map(r => r.id)).toEqual(['c', 'b', 'a']);
    expect(await page(10, { id: 'a', at: base + 60_000 })).toEqual([]);
  });
});
