/*
 * The environments' history (store.history) on PostgreSQL 15 and SQLite via TestDatabases: the
 * rows of every change, their pages, and the refusal count behind the rate limit.
 */
import {
  allow,
  newEnvironment as request,
  refuse,
  storeDatabases,
} from '../__testUtils__/storeFixtures';
import { EnvironmentStore } from './EnvironmentStore';

const databases = storeDatabases();

describe.each(databases.eachSupportedId())('HistoryStore on %p', databaseId => {
  let store: EnvironmentStore;

  beforeAll(async () => {
    store = await EnvironmentStore.create(await databases.init(databaseId));
  });

  it('lists an environment’s history oldest first, and pages it after a row id', async () => {
    const { environment } = await store.admit(request(), allow);
    for (const to of ['provisioning', 'active', 'destroying'] as const)
      await store.transition(environment.id, to, {
        actor: 'system:runner',
        reason: `to ${to}`,
      });
    const all = await store.history.list(environment.id);
    expect(all.map(h => `${h.from ?? ''}>${h.to}`)).toEqual([
      '>requested',
      'requested>queued',
      'queued>provisioning',
      'provisioning>active',
      'active>destroying',
    ]);
    expect(all[0]).not.toHaveProperty('id');
    expect(all[4]).toMatchObject({
      environmentId: environment.id,
      actor: 'system:runner',
      reason: 'to destroying',
      decisionId: undefined,
    });

    const first = await store.history.page(environment.id, { limit: 2 });
    expect(first.map(h => h.to)).toEqual([
      'requested',
      'queued',
      'provisioning',
    ]); // limit + 1 rows
    const next = await store.history.page(environment.id, {
      limit: 2,
      afterId: first[1].id,
    });
    expect(next.map(h => h.to)).toEqual([
      'provisioning',
      'active',
      'destroying',
    ]);
    expect(
      await store.history.page(environment.id, {
        limit: 2,
        afterId: next[2].id,
      }),
    ).toEqual([]);
  });

  it('counts a person’s requests refused at admission within a window, not their other requests', async () => {
    const who = 'user:default/spammer';
    const since = new Date(Date.now() - 60_000);
    expect(await store.history.refusals(who, since)).toEqual({
      count: 0,
      oldest: undefined,
    });
    await store.admit(request({ requestedBy: who }), refuse);
    await store.admit(request({ requestedBy: who }), refuse);
    await store.admit(request({ requestedBy: who }), allow);
    await store.admit(
      request({ requestedBy: 'user:default/someone-else' }),
      refuse,
    );
    const { count, oldest } = await store.history.refusals(who, since);
    expect(count).toBe(2);
    expect(oldest!.getTime()).toBeGreaterThanOrEqual(since.getTime());
    expect(
      (await store.history.refusals(who, new Date(Date.now() + 1000))).count,
    ).toBe(0);
  });
});
