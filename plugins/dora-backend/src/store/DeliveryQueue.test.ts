/*
 * The delivery queue on PostgreSQL 15 and SQLite: idempotent storing (also when a burst is written
 * in one INSERT) and claims that never hand a delivery to two workers.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { NewDelivery } from './DeliveryQueue';
import { DoraStore } from './DoraStore';

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const delivery = (deliveryId: string): NewDelivery => ({
  source: 'github-acme',
  sourceType: 'github',
  deliveryId,
  eventType: 'push',
  payload: '{}',
  receivedAt: 1,
});

describe.each(databases.eachSupportedId())(
  'DeliveryQueue on %p',
  databaseId => {
    let store: DoraStore;

    beforeAll(async () => {
      store = await DoraStore.create(await databases.init(databaseId));
    });

    it('stores a burst with replays inside it once per delivery id', async () => {
      // 30 concurrent calls, 10 distinct ids, each sent 3 times: 10 new, 20 duplicates of them
      const ids = Array.from({ length: 30 }, (_, i) => `burst-${i % 10}`);
      const results = await Promise.all(
        ids.map(id => store.deliveries.insert(delivery(id))),
      );
      expect(results.filter(r => !r.duplicate)).toHaveLength(10);
      expect(results.filter(r => r.duplicate)).toHaveLength(20);
      for (let i = 0; i < 10; i++) {
        expect(
          new Set(
            results.filter((_, j) => ids[j] === `burst-${i}`).map(r => r.id),
          ).size,
        ).toBe(1);
      }
      // the same id from another source is another delivery
      expect(
        await store.deliveries.insert({
          ...delivery('burst-0'),
          source: 'github-other',
        }),
      ).toMatchObject({ duplicate: false });
      expect(await store.deliveries.count()).toEqual({ pending: 11 });
    });

    it('hands every pending delivery to exactly one of several concurrent workers', async () => {
      const claimed: number[] = [];
      await Promise.all(
        [1, 2, 3].map(async () => {
          for (;;) {
            const batch = await store.deliveries.claim(3, 1000);
            if (!batch.length) return;
            claimed.push(...batch.map(d => d.id));
          }
        }),
      );
      expect(claimed).toHaveLength(11);
      expect(new Set(claimed).size).toBe(11);
      // a failed delivery comes back after its backoff, not before
      await store.deliveries.finish(claimed[0], 'failed', 1000, 'boom', 1);
      expect(await store.deliveries.claim(10, 1000 + 29_000)).toEqual([]);
      expect(
        (await store.deliveries.claim(10, 1000 + 30_000)).map(d => d.id),
      ).toEqual([claimed[0]]);
    });
  },
);
