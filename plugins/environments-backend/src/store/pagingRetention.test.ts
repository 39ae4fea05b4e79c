/*
 * The store's paged lists, the refusal count behind the rate limit, and run retention (through the
 * RunRetention cleaner), on PostgreSQL 15 and SQLite via TestDatabases.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { RunRetention } from '../service/RunRetention';
import { EnvironmentStore } from './EnvironmentStore';
import { NewEnvironment } from './types';

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const DAY = 24 * 3600_000;

describe.each(databases.eachSupportedId())(
  'EnvironmentStore pages and retention on %p',
  databaseId => {
    let store: EnvironmentStore;
    let knex: Knex;
    let n = 0;

    const request = (
      overrides: Partial<NewEnvironment> = {},
    ): NewEnvironment => ({
      name: `env-${++n}`,
      blueprint: 'workspace',
      owner: 'group:default/payments',
      requestedBy: 'user:default/dev',
      size: 'small',
      variables: {},
      costPerHour: 0,
      ttlHours: 24,
      ...overrides,
    });
    const queued = async () => ({
      state: 'queued' as const,
      reason: 'allowed',
    });
    const rejected = async () => ({
      state: 'rejected' as const,
      reason: 'quota',
    });

    /** Claims and finishes the environment's queued run, as finished `daysAgo` days ago. */
    const finishRun = async (environmentId: string, daysAgo: number) => {
      const run = await store.runs.claim('test-worker');
      expect(run?.environmentId).toBe(environmentId);
      await store.runs.appendLog(run!.id, [
        { level: 'info', message: `log of ${run!.kind}` },
      ]);
      await store.runs.finish(run!.id, 'test-worker', 'succeeded');
      const at = new Date(Date.now() - daysAgo * DAY);
      await knex('runs')
        .where({ id: run!.id })
        .update({ created_at: at, finished_at: at });
      return run!;
    };
    /** Claims (and leaves running) every queued run, so that the next claim is the test's own. */
    const drain = async () => {
      while (await store.runs.claim('drain')) {
        /* claimed */
      }
    };
    const logCount = async (runId: string) =>
      (await store.runs.logs(runId)).length;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      store = await EnvironmentStore.create(knex);
    });

    it('pages environments newest first by keyset, with nothing skipped or repeated, also for equal times', async () => {
      const owner = 'group:default/paging';
      const ids: string[] = [];
      for (let i = 0; i < 7; i++)
        ids.push(
          (await store.admit(request({ owner }), queued)).environment.id,
        );
      // two rows with the very same creation time: the id breaks the tie
      const same = new Date();
      await knex('environments')
        .whereIn('id', ids.slice(2, 4))
        .update({ created_at: same });
      const seen: string[] = [];
      let cursor: { at: number; id: string } | undefined;
      for (let pages = 0; pages < 10; pages++) {
        const rows = await store.listPage(
          { owners: [owner] },
          { limit: 3, cursor },
        );
        seen.push(...rows.slice(0, 3).map(r => r.id));
        if (rows.length <= 3) break;
        const last = rows[2];
        cursor = { at: last.createdAt.getTime(), id: last.id };
      }
      expect([...seen].sort()).toEqual([...ids].sort());
      expect(new Set(seen).size).toBe(7);
    });

    it('counts a person’s requests refused at admission within a window, not their other requests', async () => {
      const who = 'user:default/spammer';
      const since = new Date(Date.now() - 60_000);
      expect(await store.history.refusals(who, since)).toEqual({
        count: 0,
        oldest: undefined,
      });
      await store.admit(request({ requestedBy: who }), rejected);
      await store.admit(request({ requestedBy: who }), rejected);
      await store.admit(request({ requestedBy: who }), queued);
      await store.admit(
        request({ requestedBy: 'user:default/someone-else' }),
        rejected,
      );
      const { count, oldest } = await store.history.refusals(who, since);
      expect(count).toBe(2);
      expect(oldest!.getTime()).toBeGreaterThanOrEqual(since.getTime());
      expect(
        (await store.history.refusals(who, new Date(Date.now() + 1000))).count,
      ).toBe(0);
    });

    it('deletes old runs and logs of destroyed and rejected environments, and of live ones all but the latest of each kind', async () => {
      await drain();
      // a destroyed environment: apply (40 days ago), destroy (35 days ago)
      const gone = (await store.admit(request(), queued)).environment;
      const goneApply = await finishRun(gone.id, 40);
      for (const to of ['provisioning', 'active'] as const)
        await store.transition(gone.id, to, { actor: 'test' });
      await store.transition(gone.id, 'destroying', {
        actor: 'test',
        enqueue: 'destroy',
      });
      const goneDestroy = await finishRun(gone.id, 35);
      await store.transition(gone.id, 'destroyed', { actor: 'test' });

      // a destroyed environment whose runs are recent: kept
      const recent = (await store.admit(request(), queued)).environment;
      const recentApply = await finishRun(recent.id, 2);
      for (const to of [
        'provisioning',
        'active',
        'destroying',
        'destroyed',
      ] as const)
        await store.transition(recent.id, to, { actor: 'test' });

      // a live environment: an old apply (its latest), two old refreshes and a recent one
      const live = (await store.admit(request(), queued)).environment;
      const liveApply = await finishRun(live.id, 60);
      for (const to of ['provisioning', 'active'] as const)
        await store.transition(live.id, to, { actor: 'test' });
      await store.runs.enqueue(live.id, 'refresh');
      const oldRefresh1 = await finishRun(live.id, 50);
      await store.runs.enqueue(live.id, 'refresh');
      const oldRefresh2 = await finishRun(live.id, 45);
      await store.runs.enqueue(live.id, 'refresh');
      const latestRefresh = await finishRun(live.id, 40);
      // a queued run is never touched
      await store.runs.enqueue(live.id, 'refresh');

      const deleted = await new RunRetention(
        { store },
        { runDays: 30, batchSize: 2 },
      ).clean();
      expect(deleted).toBe(4); // two batches of 2 and a last empty one

      const left = async (environmentId: string) =>
        (await store.runs.list(environmentId)).map(r => r.id);
      expect(await left(gone.id)).toEqual([]);
      expect(await logCount(goneApply.id)).toBe(0);
      expect(await logCount(goneDestroy.id)).toBe(0);
      expect(await left(recent.id)).toEqual([recentApply.id]);
      expect(await logCount(recentApply.id)).toBe(1);
      const liveLeft = await left(live.id);
      expect(liveLeft).toEqual(
        expect.arrayContaining([liveApply.id, latestRefresh.id]),
      );
      expect(liveLeft).not.toContain(oldRefresh1.id);
      expect(liveLeft).not.toContain(oldRefresh2.id);
      expect(liveLeft).toHaveLength(3);
      expect(await logCount(liveApply.id)).toBe(1);
      expect(await logCount(latestRefresh.id)).toBe(1);
      // a second pass finds nothing more
      expect(await new RunRetention({ store }, { runDays: 30 }).clean()).toBe(
        0,
      );
    });

    it('pages runs newest first and logs by line number', async () => {
      await drain();
      const env = (await store.admit(request(), queued)).environment;
      const apply = await finishRun(env.id, 1);
      await store.runs.appendLog(
        apply.id,
        Array.from({ length: 5 }, (_, i) => ({
          level: 'info' as const,
          message: `line ${i}`,
        })),
      );
      await store.runs.enqueue(env.id, 'refresh');
      const runs = await store.runs.page(env.id, { limit: 1 });
      expect(runs.map(r => r.kind)).toEqual(['refresh', 'apply']); // limit + 1 rows, newest first
      const next = await store.runs.page(env.id, {
        limit: 1,
        cursor: { at: runs[0].createdAt.getTime(), id: runs[0].id },
      });
      expect(next.map(r => r.id)).toEqual([apply.id]);
      expect((await store.runs.logs(apply.id, 2, 3)).map(l => l.seq)).toEqual([
        3, 4, 5,
      ]);
    });
  },
);
