/*
 * The environment store on both engines the portal runs on: PostgreSQL 15 (the local server, a
 * fresh database per run) and SQLite, through TestDatabases: admission, the transition table,
 * concurrent changes, lists and their keyset pages.
 */
import { InvalidTransitionError } from '@internal/plugin-environments-common';
import { Knex } from 'knex';
import {
  allow,
  newEnvironment as request,
  storeDatabases,
} from '../__testUtils__/storeFixtures';
import { EnvironmentStore } from './EnvironmentStore';
import { StateChange } from './types';

const databases = storeDatabases();

describe.each(databases.eachSupportedId())(
  'EnvironmentStore on %p',
  databaseId => {
    let store: EnvironmentStore;
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      store = await EnvironmentStore.create(knex);
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

    it('extends only an active environment, patches with a transition, and tells the listeners of every committed change', async () => {
      const changes: StateChange[] = [];
      const unsubscribe = store.onStateChange(c => changes.push(c));
      const { environment } = await store.admit(request(), allow);
      await store.transition(environment.id, 'provisioning', {
        actor: 'system:runner',
      });
      await expect(
        store.extend(environment.id, new Date(), { actor: 'user:default/dev' }),
      ).rejects.toThrow(
        /only an active environment can be extended; this one is provisioning/,
      );
      const expiresAt = new Date(Date.now() + 3600_000);
      const active = await store.transition(environment.id, 'active', {
        actor: 'system:runner',
        patch: { expiresAt, outputs: { path: '/tmp/x' }, drift: false },
      });
      expect(active).toMatchObject({
        state: 'active',
        outputs: { path: '/tmp/x' },
        version: 2,
      });
      const later = new Date(expiresAt.getTime() + 3600_000);
      const extended = await store.extend(environment.id, later, {
        actor: 'user:default/dev',
        reason: 'one more hour',
      });
      expect(extended.expiresAt).toEqual(later);
      await store.setDrift(environment.id, true);
      expect((await store.get(environment.id)).drift).toBe(true);
      unsubscribe();
      await store.transition(environment.id, 'destroying', { actor: 'x' });
      expect(changes.map(c => `${c.from ?? ''}>${c.to} by ${c.actor}`)).toEqual(
        [
          '>requested by user:default/dev',
          'requested>queued by user:default/dev',
          'queued>provisioning by system:runner',
          'provisioning>active by system:runner',
          'active>active by user:default/dev',
        ],
      );
      expect(changes[4]).toMatchObject({
        reason: 'one more hour',
        environment: { id: environment.id, expiresAt: later },
      });
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

    it('pages environments newest first by keyset, with nothing skipped or repeated, also for equal times', async () => {
      const owner = 'group:default/paging';
      const ids: string[] = [];
      for (let i = 0; i < 7; i++)
        ids.push((await store.admit(request({ owner }), allow)).environment.id);
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
  },
);
