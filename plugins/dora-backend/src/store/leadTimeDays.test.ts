/*
 * The stored form of lead times by day (four bytes a lead time, whole seconds), and the migration
 * that converts the rows of the earlier form (float64 milliseconds), on PostgreSQL 15 and SQLite.
 */
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import { DoraStore } from './DoraStore';
import { decodeLeadTimes, encodeLeadTimes } from './leadTimeDays';

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const directory = resolvePackagePath(
  '@internal/plugin-dora-backend',
  'migrations',
);

describe('encodeLeadTimes / decodeLeadTimes', () => {
  it('keeps lead times to the second, in four bytes each, concatenations included', () => {
    const day1 = encodeLeadTimes([0, 1_000, 90 * 60_000, 3 * 24 * 3600_000]);
    const day2 = encodeLeadTimes([
      -5_000,
      1_499,
      1_500,
      40 * 365 * 24 * 3600_000,
    ]);
    expect(Buffer.from(day1, 'base64')).toHaveLength(16);
    expect([...decodeLeadTimes(day1)]).toEqual([
      0, 1_000, 5_400_000, 259_200_000,
    ]);
    // whole seconds, rounded; 40 years still fit
    expect([...decodeLeadTimes(day2)]).toEqual([
      -5_000,
      1_000,
      2_000,
      40 * 365 * 24 * 3600_000,
    ]);
    const both = Buffer.concat([
      Buffer.from(day1, 'base64'),
      Buffer.from(day2, 'base64'),
    ]).toString('base64');
    expect(decodeLeadTimes(both)).toHaveLength(8);
    expect(encodeLeadTimes([1e15]).length).toBe(8); // clamped, not wrapped
    expect(decodeLeadTimes(encodeLeadTimes([1e15]))[0]).toBe(0x7fffffff * 1000);
  });
});

describe.each(databases.eachSupportedId())(
  'lead times by day on %p',
  databaseId => {
    it('converts the rows of the float64 form when migrating up, and back when migrating down', async () => {
      const knex = await databases.init(databaseId);
      // up to and including 20261127_lead_time_days, then a row in that form
      for (let i = 0; i < 4; i++) await knex.migrate.up({ directory });
      expect(
        await knex.schema.hasColumn('dora_lead_time_days', 'lead_times_ms'),
      ).toBe(true);
      const old = Buffer.alloc(3 * 8);
      [60_000, 3_600_000, 86_400_500].forEach((v, i) =>
        old.writeDoubleBE(v, i * 8),
      );
      await knex('dora_lead_time_days').insert({
        scope: 'org',
        day: 20500,
        n: 3,
        lead_times_ms: old.toString('base64'),
      });

      await DoraStore.create(knex);
      expect(
        await knex.schema.hasColumn('dora_lead_time_days', 'lead_times_ms'),
      ).toBe(false);
      const row = await knex('dora_lead_time_days')
        .where({ scope: 'org', day: 20500 })
        .first();
      expect(row.n).toBe(3);
      expect([...decodeLeadTimes(row.lead_times_s)]).toEqual([
        60_000, 3_600_000, 86_401_000,
      ]);

      // and back down
      await knex.migrate.down({ directory });
      const back = await knex('dora_lead_time_days')
        .where({ scope: 'org', day: 20500 })
        .first();
      const values = Buffer.from(back.lead_times_ms, 'base64');
      expect([0, 1, 2].map(i => values.readDoubleBE(i * 8))).toEqual([
        60_000, 3_600_000, 86_401_000,
      ]);
    });
  },
);
