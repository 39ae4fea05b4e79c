/*
 * The drift check on PostgreSQL and SQLite: the task it schedules, and a pass that queues a
 * refresh run for every active environment and for no other.
 */
import { EnvironmentStore } from '../store/EnvironmentStore';
import {
  activeEnvironment,
  jobContext,
  serviceWithOpaDown,
} from '../__testUtils__/jobFixtures';
import {
  allow,
  newEnvironment,
  storeDatabases,
} from '../__testUtils__/storeFixtures';
import { DriftCheckJob } from './DriftCheckJob';

const databases = storeDatabases();
const HOUR = 3600_000;

describe.each(databases.eachSupportedId())(
  'DriftCheckJob on %p',
  databaseId => {
    let store: EnvironmentStore;

    beforeAll(async () => {
      store = await EnvironmentStore.create(await databases.init(databaseId));
    });

    it('schedules itself hourly on one replica, first 5 minutes after start, and queues a refresh of each active environment', async () => {
      const job = jobContext();
      await DriftCheckJob.start(job, { service: serviceWithOpaDown(store) });
      expect(job.task()).toEqual({
        id: 'environments-drift',
        scope: 'global',
        frequency: { hours: 1 },
        timeout: { minutes: 5 },
        initialDelay: { minutes: 5 },
        fn: expect.any(Function),
      });

      const active = [
        await activeEnvironment(store, new Date(Date.now() + HOUR)),
        await activeEnvironment(store, new Date(Date.now() + HOUR)),
      ];
      const queued = (await store.admit(newEnvironment(), allow)).environment;
      await job.runTask();

      const refreshes = async (id: string) =>
        (await store.runs.list(id)).filter(r => r.kind === 'refresh');
      for (const env of active)
        expect(await refreshes(env.id)).toEqual([
          expect.objectContaining({ state: 'queued' }),
        ]);
      expect(await refreshes(queued.id)).toEqual([]);
      expect(job.logger.info).toHaveBeenCalledWith(
        'drift check queued for 2 active environment(s)',
      );
    });
  },
);
