/*
 * Run retention on PostgreSQL and SQLite: the task it schedules from environments.retention (and
 * the number keys it replaces), and a pass with environments.retention.maxAge that deletes a gone
 * environment's runs finished before it, with their logs, and keeps the newer ones. (The rules per
 * environment state and the batches are tested in store/RunQueue.test.ts.)
 */
import { Knex } from 'knex';
import { EnvironmentStore } from '../store/EnvironmentStore';
import { jobContext } from '../__testUtils__/jobFixtures';
import {
  allow,
  newEnvironment,
  storeDatabases,
} from '../__testUtils__/storeFixtures';
import { RunRetentionJob } from './RunRetentionJob';

const databases = storeDatabases();
const DAY = 24 * 3600_000;

describe.each(databases.eachSupportedId())(
  'RunRetentionJob on %p',
  databaseId => {
    let knex: Knex;
    let store: EnvironmentStore;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      store = await EnvironmentStore.create(knex);
    });

    it.each([
      [{}, { minutes: 60 }],
      [{ frequency: '6h' }, { hours: 6 }],
      [{ intervalMinutes: 15 }, { minutes: 15 }], // the number key it replaces
    ])(
      'with retention %j, cleans every %j on one replica',
      async (retention, frequency) => {
        const job = jobContext({ retention });
        await RunRetentionJob.start(job, { store });
        expect(job.task()).toEqual({
          id: 'environments-run-retention',
          scope: 'global',
          frequency,
          timeout: { minutes: 30 },
          initialDelay: { minutes: 2 },
          fn: expect.any(Function),
        });
      },
    );

    it('deletes the runs finished longer than maxAge ago, with their logs', async () => {
      const job = jobContext({ retention: { maxAge: '7d' } });
      await RunRetentionJob.start(job, { store });
      const { environment } = await store.admit(newEnvironment(), allow);
      /** Claims the next run, logs a line, finishes it and dates it `daysAgo`. */
      const finished = async (daysAgo: number) => {
        const run = await store.runs.claim('test-worker');
        expect(run?.environmentId).toBe(environment.id);
        await store.runs.appendLog(run!.id, [{ level: 'info', message: 'x' }]);
        await store.runs.finish(run!.id, 'test-worker', 'succeeded');
        const at = new Date(Date.now() - daysAgo * DAY);
        await knex('runs')
          .where({ id: run!.id })
          .update({ created_at: at, finished_at: at });
        return run!;
      };
      const apply = await finished(10);
      for (const to of ['provisioning', 'active', 'destroying'] as const)
        await store.transition(environment.id, to, {
          actor: 'test',
          enqueue: to === 'destroying' ? 'destroy' : undefined,
        });
      const destroy = await finished(3);
      await store.transition(environment.id, 'destroyed', { actor: 'test' });

      await job.runTask();
      expect((await store.runs.list(environment.id)).map(r => r.id)).toEqual([
        destroy.id,
      ]);
      expect(await store.runs.logs(apply.id)).toEqual([]);
      expect(await store.runs.logs(destroy.id)).toHaveLength(1);
      expect(job.logger.info).toHaveBeenCalledWith(
        expect.stringMatching(
          /^run retention: deleted 1 run\(s\) finished before .*, with their logs$/,
        ),
      );
    });
  },
);
