/*
 * The stale-run takeover on PostgreSQL and SQLite: the frequency it derives from
 * environments.runs.staleAfter, and a pass that puts a run whose heartbeat went silent back in the
 * queue as its next attempt, and leaves a live one.
 */
import { EnvironmentStore } from '../store/EnvironmentStore';
import { jobContext } from '../__testUtils__/jobFixtures';
import {
  allow,
  newEnvironment,
  storeDatabases,
} from '../__testUtils__/storeFixtures';
import { StaleRunsJob } from './StaleRunsJob';

const databases = storeDatabases();

describe.each(databases.eachSupportedId())('StaleRunsJob on %p', databaseId => {
  let store: EnvironmentStore;

  beforeAll(async () => {
    store = await EnvironmentStore.create(await databases.init(databaseId));
  });

  it.each([
    [{}, { seconds: 30 }], // default staleAfter 60 s: every 30 s
    [{ staleAfter: '10s' }, { seconds: 5 }],
    [{ staleAfterSeconds: 4 }, { seconds: 2 }], // the number key it replaces
    [{ staleAfter: '1s' }, { seconds: 1 }], // never more often than every second
    [{ staleAfter: { minutes: 10 } }, { seconds: 30 }], // nor less often than every 30 s
  ])('with runs %j, looks every %j on one replica', async (runs, frequency) => {
    const job = jobContext({ runs });
    await StaleRunsJob.start(job, { store });
    expect(job.task()).toEqual({
      id: 'environments-stale-runs',
      scope: 'global',
      frequency,
      timeout: { minutes: 1 },
      fn: expect.any(Function),
    });
  });

  it('takes over a run whose worker stopped beating, not one that beats', async () => {
    const job = jobContext({ runs: { staleAfter: '10s' } });
    const takeover = await StaleRunsJob.start(job, { store });
    const { environment } = await store.admit(newEnvironment(), allow);
    const started = new Date();
    const run = await store.runs.claim('replica-a', started);
    expect(run?.environmentId).toBe(environment.id);
    await store.runs.heartbeat(run!.id, 'replica-a', started);

    // 5 s later the heartbeat is fresh; 11 s later it is stale
    expect(await takeover.run(new Date(started.getTime() + 5_000))).toEqual([]);
    const taken = await takeover.run(new Date(started.getTime() + 11_000));
    expect(taken).toEqual([
      expect.objectContaining({ id: run!.id, state: 'queued', attempt: 2 }),
    ]);
    expect(await store.runs.get(run!.id)).toMatchObject({
      state: 'queued',
      attempt: 2,
      claimedBy: undefined,
    });
    expect(job.logger.warn).toHaveBeenCalledWith(
      `took over 1 run(s) whose worker stopped: ${run!.id}`,
    );
    // the scheduled task runs the same pass (at the current time: the run is queued, not stale)
    await job.runTask();
    expect((await store.runs.get(run!.id)).attempt).toBe(2);
  });
});
