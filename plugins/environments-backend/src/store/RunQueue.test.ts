/*
 * The run queue (store.runs) on PostgreSQL 15 and SQLite via TestDatabases: concurrent claims,
 * backoff, the takeover of silent workers, the listeners, run logs, pages, and retention (through
 * the run retention job, jobs/RunRetentionJob).
 */
import { Knex } from 'knex';
import { RunRetentionJob } from '../jobs/RunRetentionJob';
import {
  allow,
  newEnvironment,
  storeDatabases,
} from '../__testUtils__/storeFixtures';
import { EnvironmentStore } from './EnvironmentStore';

const databases = storeDatabases();

const DAY = 24 * 3600_000;

describe.each(databases.eachSupportedId())('RunQueue on %p', databaseId => {
  let store: EnvironmentStore;
  let knex: Knex;

  /** Claims (and leaves running) every queued run, so that the next claim is the test's own. */
  const drain = async () => {
    while (await store.runs.claim('drain')) {
      /* claimed */
    }
  };
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
  const logCount = async (runId: string) =>
    (await store.runs.logs(runId)).length;

  beforeAll(async () => {
    knex = await databases.init(databaseId);
    store = await EnvironmentStore.create(knex);
  });

  it('hands every queued run to exactly one of several concurrent workers', async () => {
    const { environment } = await store.admit(newEnvironment(), allow);
    for (let i = 0; i < 9; i++)
      await store.runs.enqueue(environment.id, 'refresh');
    const claimed: string[] = [];
    await Promise.all(
      ['w1', 'w2', 'w3', 'w4'].map(async worker => {
        for (;;) {
          const run = await store.runs.claim(worker);
          if (!run) return;
          expect(run).toMatchObject({ state: 'running', claimedBy: worker });
          claimed.push(run.id);
        }
      }),
    );
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(claimed.length).toBeGreaterThanOrEqual(10);
  });

  it('waits for a run’s backoff, and takes over a run whose worker went silent', async () => {
    const { environment } = await store.admit(newEnvironment(), allow);
    // drain the queue so only this test's runs remain
    await drain();
    const later = new Date(Date.now() + 60_000);
    const delayed = await store.runs.enqueue(environment.id, 'destroy', {
      notBefore: later,
      attempt: 2,
    });
    expect(await store.runs.claim('w1')).toBeUndefined();
    const run = await store.runs.claim('w1', new Date(later.getTime() + 1));
    expect(run).toMatchObject({ id: delayed, attempt: 2 });
    expect(await store.runs.heartbeat(delayed, 'w1')).toBe(true);

    const taken = await store.runs.requeueStale(new Date(Date.now() + 120_000));
    expect(taken.map(r => r.id)).toContain(delayed);
    expect(await store.runs.heartbeat(delayed, 'w1')).toBe(false); // the old worker has lost it
    expect(await store.runs.finish(delayed, 'w1', 'succeeded')).toBe(false);
    // Earlier tests' runs went silent too and were requeued; the taken-over one is among them.
    let again;
    do {
      again = await store.runs.claim('w2', new Date(later.getTime() + 1));
    } while (again && again.id !== delayed);
    expect(again).toMatchObject({ id: delayed, claimedBy: 'w2', attempt: 3 });
    expect(
      await store.runs.finish(delayed, 'w2', 'failed', 'destroy failed'),
    ).toBe(true);
    expect(await store.runs.get(delayed)).toMatchObject({
      state: 'failed',
      error: 'destroy failed',
    });
  });

  it('tells its listeners of runs due now, after the commit, and not of a delayed retry', async () => {
    let told = 0;
    const unsubscribe = store.runs.onQueued(() => told++);
    const { environment } = await store.admit(newEnvironment(), allow);
    expect(told).toBe(1); // the admission's apply
    await store.runs.enqueue(environment.id, 'refresh');
    expect(told).toBe(2);
    await store.runs.enqueue(environment.id, 'destroy', {
      notBefore: new Date(Date.now() + DAY),
    });
    expect(told).toBe(2);
    await store.admit(newEnvironment(), async () => ({
      state: 'pending_approval',
      reason: 'needs approval',
    }));
    expect(told).toBe(2);
    unsubscribe();
    await store.runs.enqueue(environment.id, 'refresh');
    expect(told).toBe(2);
    await expect(store.runs.get('no-such-run')).rejects.toThrow(
      /no run with id no-such-run/,
    );
  });

  it('keeps a run’s log in order and serves it from a position, for the live view', async () => {
    const { environment } = await store.admit(newEnvironment(), allow);
    const [run] = await store.runs.list(environment.id);
    await store.runs.appendLog(run.id, [
      { level: 'info', message: 'tofu init' },
      { level: 'info', message: 'tofu apply' },
    ]);
    await store.runs.appendLog(run.id, [{ level: 'error', message: 'boom' }]);
    expect(
      (await store.runs.logs(run.id)).map(l => [l.seq, l.message]),
    ).toEqual([
      [1, 'tofu init'],
      [2, 'tofu apply'],
      [3, 'boom'],
    ]);
    expect((await store.runs.logs(run.id, 2)).map(l => l.message)).toEqual([
      'boom',
    ]);
  });

  it('deletes old runs and logs of destroyed and rejected environments, and of live ones all but the latest of each kind', async () => {
    await drain();
    // a destroyed environment: apply (40 days ago), destroy (35 days ago)
    const gone = (await store.admit(newEnvironment(), allow)).environment;
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
    const recent = (await store.admit(newEnvironment(), allow)).environment;
    const recentApply = await finishRun(recent.id, 2);
    for (const to of [
      'provisioning',
      'active',
      'destroying',
      'destroyed',
    ] as const)
      await store.transition(recent.id, to, { actor: 'test' });

    // a live environment: an old apply (its latest), two old refreshes and a recent one
    const live = (await store.admit(newEnvironment(), allow)).environment;
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

    const deleted = await new RunRetentionJob(
      { store },
      { maxAge: { days: 30 }, batchSize: 2 },
    ).run();
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
    expect(
      await new RunRetentionJob({ store }, { maxAge: { days: 30 } }).run(),
    ).toBe(0);
  });

  it('pages runs newest first and logs by line number', async () => {
    await drain();
    const env = (await store.admit(newEnvironment(), allow)).environment;
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
});
