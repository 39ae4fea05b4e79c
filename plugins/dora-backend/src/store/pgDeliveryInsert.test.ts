/*
 * The delivery INSERT of the webhook hot path, on PostgreSQL 15 (it is PostgreSQL's only; SQLite
 * goes through the knex builder, see DeliveryQueue.test.ts): one statement a batch, duplicates
 * skipped and not returned, values bound as parameters.
 */
import { storeDatabases } from '../__testUtils__/doraRows';
import { DoraStore } from './DoraStore';
import { insertDeliveriesPg } from './pgDeliveryInsert';
import { NewDelivery } from './rows';

const databases = storeDatabases();
const delivery = (
  deliveryId: string,
  more: Partial<NewDelivery> = {},
): NewDelivery => ({
  source: 'github-acme',
  sourceType: 'github',
  deliveryId,
  eventType: 'push',
  payload: '{"a":1}',
  receivedAt: 5,
  ...more,
});

describe.each(
  databases.eachSupportedId().filter(([id]) => id.startsWith('POSTGRES')),
)('insertDeliveriesPg on %p', databaseId => {
  it('writes a batch in one statement and returns the rows it wrote, not the duplicates', async () => {
    const store = await DoraStore.create(await databases.init(databaseId));
    const first = await insertDeliveriesPg(store.db, [
      delivery('a', { headers: { 'x-github-event': 'push' }, sender: 'ci' }),
      delivery('b'),
    ]);
    expect(first.map(r => [Number(r.id) > 0, r.source, r.delivery_id])).toEqual(
      [
        [true, 'github-acme', 'a'],
        [true, 'github-acme', 'b'],
      ],
    );
    // b again, and c: only c is new; a quote and a NUL-free odd text go as parameters
    const second = await insertDeliveriesPg(store.db, [
      delivery('b'),
      delivery("c'); drop table dora_deliveries; --", { payload: "it's" }),
    ]);
    expect(second.map(r => r.delivery_id)).toEqual([
      "c'); drop table dora_deliveries; --",
    ]);
    const rows = await store.db('dora_deliveries').orderBy('id');
    expect(
      rows.map(r => [
        r.delivery_id,
        r.status,
        r.payload,
        r.headers,
        r.sender,
        Number(r.received_at),
      ]),
    ).toEqual([
      ['a', 'pending', '{"a":1}', '{"x-github-event":"push"}', 'ci', 5],
      ['b', 'pending', '{"a":1}', null, null, 5],
      ["c'); drop table dora_deliveries; --", 'pending', "it's", null, null, 5],
    ]);
  });
});
