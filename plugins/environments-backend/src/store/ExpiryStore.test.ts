/*
 * The environments' expiry (store.expiries) on PostgreSQL 15 and SQLite via TestDatabases: which
 * active environments are past it, which are due a reminder, and a reminder recorded once per
 * expiry.
 */
import { Knex } from 'knex';
import {
  allow,
  newEnvironment as request,
  storeDatabases,
} from '../__testUtils__/storeFixtures';
import { EnvironmentStore } from './EnvironmentStore';

const databases = storeDatabases();
const HOUR = 3600_000;

describe.each(databases.eachSupportedId())('ExpiryStore on %p', databaseId => {
  let store: EnvironmentStore;
  let knex: Knex;

  /** An active environment that expires `hours` from `now`. */
  const active = async (now: Date, hours: number) => {
    const { environment } = await store.admit(request(), allow);
    await store.transition(environment.id, 'provisioning', { actor: 'test' });
    return store.transition(environment.id, 'active', {
      actor: 'test',
      patch: { expiresAt: new Date(now.getTime() + hours * HOUR) },
    });
  };

  beforeAll(async () => {
    knex = await databases.init(databaseId);
    store = await EnvironmentStore.create(knex);
  });

  it('finds the active environments past their expiry, and those due a reminder once per expiry', async () => {
    const now = new Date();
    const past = await active(now, -1);
    const soon = await active(now, 12);
    const far = await active(now, 100);
    const queued = (await store.admit(request(), allow)).environment;
    const ids = (envs: Array<{ id: string }>) => envs.map(e => e.id).sort();
    const ours = [past.id, soon.id, far.id, queued.id];
    const mine = <T extends { id: string }>(envs: T[]) =>
      envs.filter(e => ours.includes(e.id));

    expect(ids(mine(await store.expiries.expired(now)))).toEqual([past.id]);
    const horizon = new Date(now.getTime() + 24 * HOUR);
    expect(
      ids(mine(await store.expiries.dueForReminder(now, horizon))),
    ).toEqual([soon.id]);

    // Recorded once: a second claim (another replica) gets false, and it is no longer due.
    expect(await store.expiries.claimReminder(soon.id, soon.expiresAt!)).toBe(
      true,
    );
    expect(await store.expiries.claimReminder(soon.id, soon.expiresAt!)).toBe(
      false,
    );
    expect(mine(await store.expiries.dueForReminder(now, horizon))).toEqual([]);
    // A claim for an expiry that has moved meanwhile is refused.
    expect(
      await store.expiries.claimReminder(
        far.id,
        new Date(far.expiresAt!.getTime() - HOUR),
      ),
    ).toBe(false);

    // An extension moves the expiry: its reminder is due again.
    const extended = await store.extend(
      soon.id,
      new Date(soon.expiresAt!.getTime() + 6 * HOUR),
      { actor: 'user:default/dev' },
    );
    expect(
      ids(mine(await store.expiries.dueForReminder(now, horizon))),
    ).toEqual([soon.id]);
    expect(
      await store.expiries.claimReminder(soon.id, extended.expiresAt!),
    ).toBe(true);
  });
});
