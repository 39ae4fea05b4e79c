import { Knex } from 'knex';
import { InsertedDelivery, NewDelivery } from './rows';

const COLUMNS = [
  'source',
  'source_type',
  'delivery_id',
  'event_type',
  'payload',
  'headers',
  'sender',
  'received_at',
];
const statements = new Map<number, string>();

/** The INSERT of `n` deliveries: one parameter a value, so nothing is escaped or quoted in JS. */
function statement(n: number): string {
  let text = statements.get(n);
  if (!text) {
    const rows = Array.from(
      { length: n },
      (_, r) =>
        `(${COLUMNS.map((_c, c) => `$${r * COLUMNS.length + c + 1}`).join(
          ', ',
        )}, 'pending')`,
    );
    text =
      `insert into dora_deliveries (${COLUMNS.join(
        ', ',
      )}, status) values ${rows.join(', ')} ` +
      'on conflict (source, delivery_id) do nothing returning id, source, delivery_id';
    statements.set(n, text);
  }
  return text;
}

/**
 * The webhook hot path on PostgreSQL: a batch of deliveries as one multi-row INSERT, given straight
 * to the pg connection as a named prepared statement (one a batch size, parsed and planned once on
 * each connection), on a connection from knex's pool (so the plugin's search path and pool limits
 * hold). The same statement as the knex builder writes, without building and compiling it for
 * every batch. Duplicates (the same source and delivery id) are skipped and not returned.
 */
export async function insertDeliveriesPg(
  db: Knex,
  deliveries: NewDelivery[],
): Promise<InsertedDelivery[]> {
  const values: unknown[] = [];
  for (const d of deliveries) {
    values.push(
      d.source,
      d.sourceType,
      d.deliveryId,
      d.eventType,
      d.payload,
      d.headers ? JSON.stringify(d.headers) : null,
      d.sender ?? null,
      d.receivedAt,
    );
  }
  const connection = await db.client.acquireConnection();
  try {
    const result = await connection.query({
      name: `dora_insert_deliveries_${deliveries.length}`,
      text: statement(deliveries.length),
      values,
    });
    return result.rows;
  } finally {
    await db.client.releaseConnection(connection);
  }
}
