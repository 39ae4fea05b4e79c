/*
 * The store on both engines the portal runs on: PostgreSQL 15 (the local server, a fresh database
 * per run) and SQLite, through TestDatabases.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { InvalidTransitionError } from '@internal/plugin-environments-common';
import { EnvironmentStore } from './EnvironmentStore';
import { NewEnvironment } from './types';

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const request = (overrides: Partial<NewEnvironment> = {}): NewEnvironment => ({
  name: 'pay-db',
  blueprint: 'postgres-sandbox',
  owner: 'group:default/payments',
  requestedBy: 'user:default/dev',
  size: 'small',
  variables: { purpose: 'demo' },
  costPerHour: 0.5,
  ttlHours: 24,
  ...overrides,
});

const allow = async () => ({
  state: 'queued' as const,
  reason: 'allowed by policy',
  decisionId: 'd-1',
});

describe.each(databases.eachSupportedId())(
  'EnvironmentStore on %p',
  databaseId => {
    let store: EnvironmentStore;

    beforeAll(async () => {
      store = await EnvironmentStore.create(await databases.init(databaseId));
    });

    it('admits an allowed request as queued, with its history and an apply run', async () => {
      const { environment } = await store.admit(request(), allow);
      expect(environment).toMatchObject({
        state: 'queued',
        owner: 'group:default/payments',
        variables: { purpose: 'demo' },
        version: 0,
      });
      expect(await store.history.list(environment.id)).toEqual([
        expect.objectContaining({
          from: undefined,
          to: 'requested',
          actor: 'user:default/dev',
        }),
        expect.objectContaining({
          from: 'requested',
          to: 'queued',
          reason: 'allowed by policy',
          decisionId: 'd-1',
        }),
      ]);
      expect(await store.runs.list(environment.id)).toEqual([
        expect.objectContaining({ kind: 'apply', state: 'queued', attempt: 1 }),
      ]);
    });

    it('holds a request for approval without a run, and queues it once approved', async () => {
      const { environment } = await store.admit(
        request({ name: 'approve-me' }),
        async () => ({
          state: 'pending_approval',
          reason: 'a TTL of 100 hours needs approval',
        }),
      );
      expect(await store.runs.list(environment.id)).toEqual([]);
      const approved = await store.transition(environment.id, 'queued', {
        actor: 'user:default/ben',
        reason: 'approved',
        expectFrom: ['pending_approval'],
        enqueue: 'apply',
      });
      expect(approved).toMatchObject({ state: 'queued', version: 1 });
      expect(await store.runs.list(environment.id)).toHaveLength(1);
    });

    it('refuses a transition the state machine does not allow, and one from an unexpected state', async () => {
      const { environment } = await store.admit(
        request({ name: 'strict' }),
        allow,
      );
      await expect(
        store.transition(environment.id, 'active', { actor: 'system:test' }),
      ).rejects.toThrow(InvalidTransitionError);
      await expect(
        store.transition(environment.id, 'rejected', {
          actor: 'user:default/ben',
          expectFrom: ['pending_approval'],
        }),
      ).rejects.toThrow(/the environment is queued, not pending_approval/);
      expect((await store.get(environment.id)).state).toBe('queued');
    });

    it('lets exactly one of two concurrent changes win', async () => {
      const { environment } = await store.admit(
        request({ name: 'race' }),
        allow,
      );
      await store.transition(environment.id, 'provisioning', {
        actor: 'system:runner',
      });
      const results = await Promise.allSettled([
        store.transition(environment.id, 'active', {
          actor: 'system:runner',
          expectFrom: ['provisioning'],
        }),
        store.transition(environment.id, 'destroying', {
          actor: 'system:runner',
          expectFrom: ['provisioning'],
        }),
      ]);
      expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(1);
      expect(
        (await store.history.list(environment.id)).filter(
          h => h.from === 'provisioning',
        ),
      ).toHaveLength(1);
    });

    it('admits exactly as many environments as the quota allows when 20 requests race', async () => {
      const owner = `group:default/race-${databaseId.toLowerCase()}`;
      const quota = 5;
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.admit(request({ owner, name: `q-${i}` }), async usage =>
            usage.count < quota
              ? { state: 'queued', reason: 'within quota' }
              : {
                  state: 'rejected',
                  reason: `team ${owner} is at its quota of ${quota} environments`,
                },
          ),
        ),
      );
      expect(
        results.filter(r => r.environment.state === 'queued'),
      ).toHaveLength(5);
      expect(
        results.filter(r => r.environment.state === 'rejected'),
      ).toHaveLength(15);
      expect(await store.usage(owner)).toEqual({
        count: 5,
        costPerDay: 5 * 0.5 * 24,
      });
    });

    it('hands every queued run to exactly one of several concurrent workers', async () => {
      const { environment } = await store.admit(
        request({ name: 'runs' }),
        allow,
      );
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
      const { environment } = await store.admit(
        request({ name: 'stale' }),
        allow,
      );
      // drain the queue so only this test's runs remain
      while (await store.runs.claim('drain')) {
        /* claimed */
      }
      const later = new Date(Date.now() + 60_000);
      const delayed = await store.runs.enqueue(environment.id, 'destroy', {
        notBefore: later,
        attempt: 2,
      });
      expect(await store.runs.claim('w1')).toBeUndefined();
      const run = await store.runs.claim('w1', new Date(later.getTime() + 1));
      expect(run).toMatchObject({ id: delayed, attempt: 2 });
      expect(await store.runs.heartbeat(delayed, 'w1')).toBe(true);

      const taken = await store.runs.requeueStale(
        new Date(Date.now() + 120_000),
      );
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

    it('keeps a run’s log in order and serves it from a position, for the live view', async () => {
      const { environment } = await store.admit(
        request({ name: 'logs' }),
        allow,
      );
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

    it('lists by owner and state', async () => {
      const mine = await store.list({
        owners: ['group:default/payments'],
        states: ['pending_approval'],
      });
      expect(mine.map(e => e.name)).toEqual(
        ['approve-me'].filter(n => mine.some(e => e.name === n)),
      );
      expect(
        mine.every(
          e =>
            e.owner === 'group:default/payments' &&
            e.state === 'pending_approval',
        ),
      ).toBe(true);
    });
  },
);
