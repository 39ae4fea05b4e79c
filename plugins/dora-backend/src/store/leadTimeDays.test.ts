/*
 * The stored form of lead times by day (four bytes a lead time, whole seconds), the rebuild of a
 * day's rows from the links, and the migration that converts the rows of the earlier form (float64
 * milliseconds), on PostgreSQL 15 and SQLite.
 */
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import { DoraStore } from './DoraStore';
import {
  changeEvent,
  DAY,
  deploy,
  HOUR,
  PAY,
  SHOP,
  T0,
} from '../__testUtils__/doraRows';
import {
  decodeLeadTimes,
  encodeLeadTimes,
  rebuildLeadTimeDays,
} from './leadTimeDays';

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

describe.each(databases.eachSupportedId())(
  'rebuildLeadTimeDays on %p',
  databaseId => {
    it('rebuilds the rows of every scope and day the links fall in, from the links as they are', async () => {
      const store = await DoraStore.create(await databases.init(databaseId));
      await deploy(store, [
        ['d1', 5, PAY],
        ['d2', 30, SHOP],
      ]);
      await store.transaction(async tx => {
        for (const sha of ['c1', 'c2', 'c3'])
          await store.changes.upsert(tx, changeEvent(sha, 0, 0), PAY, {
            revert: false,
            hotfix: false,
          });
      });
      const link = (
        deploymentId: string,
        changeId: string,
        deployedAt: number,
        hours: number,
        who: typeof PAY,
      ) => ({
        deployment_id: deploymentId,
        change_id: `acme/pay@${changeId}`,
        linked_by: 'deployed-sha',
        subject: who.subject,
        component_ref: who.componentRef,
        team_ref: who.teamRef,
        deployed_at: deployedAt,
        lead_time_ms: hours * HOUR,
      });
      const links = [
        link('d1', 'c1', T0 + 5 * HOUR, 3, PAY),
        link('d1', 'c2', T0 + 5 * HOUR, 1.5, PAY),
        link('d2', 'c3', T0 + 30 * HOUR, 7, SHOP),
      ];
      const statements: string[] = [];
      const listener = (q: { sql: string }) => statements.push(q.sql);
      store.db.on('query', listener);
      await store.transaction(async tx => {
        await tx('dora_deployment_changes').insert(links);
        await rebuildLeadTimeDays(tx, links);
      });
      store.db.off('query', listener);
      // PostgreSQL locks each (scope, day) first: 3 scopes on day 0 and 3 on day 1
      expect(
        statements.filter(q => q.includes('pg_advisory_xact_lock')),
      ).toHaveLength(store.isPostgres ? 6 : 0);
      const day0 = T0 / DAY;
      const days = async () =>
        (
          await store
            .db('dora_lead_time_days')
            .orderBy(['scope', 'day'])
            .select('scope', 'day', 'n', 'lead_times_s')
        ).map(r => [
          r.scope,
          Number(r.day) - day0,
          r.n,
          [...decodeLeadTimes(r.lead_times_s)].map(v => v / HOUR),
        ]);
      expect(await days()).toEqual([
        [`component:${PAY.componentRef}`, 0, 2, [1.5, 3]],
        [`component:${SHOP.componentRef}`, 1, 1, [7]],
        ['org', 0, 2, [1.5, 3]],
        ['org', 1, 1, [7]],
        [`team:${PAY.teamRef}`, 0, 2, [1.5, 3]],
        [`team:${SHOP.teamRef}`, 1, 1, [7]],
      ]);
      // a link goes: its days are rebuilt, and a day left without links has no row
      await store.transaction(async tx => {
        await tx('dora_deployment_changes')
          .whereIn('change_id', ['acme/pay@c2', 'acme/pay@c3'])
          .delete();
        await rebuildLeadTimeDays(tx, [links[1], links[2]]);
      });
      expect(await days()).toEqual([
        [`component:${PAY.componentRef}`, 0, 1, [3]],
        ['org', 0, 1, [3]],
        [`team:${PAY.teamRef}`, 0, 1, [3]],
      ]);
    });
  },
);
