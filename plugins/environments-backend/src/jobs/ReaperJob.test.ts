/*
 * The reaper on PostgreSQL and SQLite: the task it schedules, and a pass that sends expired active
 * environments to destroying with their destroy run queued, and leaves the others.
 */
import { EnvironmentStore } from '../store/EnvironmentStore';
import {
  activeEnvironment,
  jobContext,
  serviceWithOpaDown,
} from '../__testUtils__/jobFixtures';
import { storeDatabases } from '../__testUtils__/storeFixtures';
import { ReaperJob } from './ReaperJob';

const databases = storeDatabases();
const HOUR = 3600_000;

describe.each(databases.eachSupportedId())('ReaperJob on %p', databaseId => {
  let store: EnvironmentStore;

  beforeAll(async () => {
    store = await EnvironmentStore.create(await databases.init(databaseId));
  });

  it('schedules itself every minute on one replica and reaps what expired', async () => {
    const job = jobContext();
    await ReaperJob.start(job, { service: serviceWithOpaDown(store) });
    expect(job.task()).toEqual({
      id: 'environments-reaper',
      scope: 'global',
      frequency: { minutes: 1 },
      timeout: { minutes: 5 },
      fn: expect.any(Function),
    });

    const expired = await activeEnvironment(store, new Date(Date.now() - HOUR));
    const alive = await activeEnvironment(store, new Date(Date.now() + HOUR));
    await job.runTask();

    expect((await store.get(expired.id)).state).toBe('destroying');
    expect((await store.get(alive.id)).state).toBe('active');
    expect(await store.history.list(expired.id)).toContainEqual(
      expect.objectContaining({
        from: 'active',
        to: 'destroying',
        actor: 'system:reaper',
        reason: expect.stringMatching(/^TTL reached/),
      }),
    );
    expect(
      (await store.runs.list(expired.id)).filter(r => r.kind === 'destroy'),
    ).toEqual([expect.objectContaining({ state: 'queued', attempt: 1 })]);
    expect(job.logger.info).toHaveBeenCalledWith(
      'reaper: 1 expired environment(s) sent to destroying',
    );
  });

  it('reaps each environment once, and at the time it is given', async () => {
    const job = jobContext();
    const reaper = await ReaperJob.start(job, {
      service: serviceWithOpaDown(store),
    });
    const later = await activeEnvironment(
      store,
      new Date(Date.now() + 2 * HOUR),
    );
    expect(await reaper.run()).toEqual([]);
    const reaped = await reaper.run(new Date(Date.now() + 3 * HOUR));
    expect(reaped.map(e => e.id)).toContain(later.id);
    expect(new Set(reaped.map(e => e.state))).toEqual(new Set(['destroying']));
    expect(await reaper.run(new Date(Date.now() + 3 * HOUR))).toEqual([]);
  });
});
