import { NotFoundError } from '@backstage/errors';
import { Delivery, DeliveryStatus } from '@internal/plugin-dora-common';
import { Knex } from 'knex';
import { isoOf } from './fromRow';
import { insertDeliveriesPg } from './pgDeliveryInsert';
import { ClaimedDelivery, InsertedDelivery, NewDelivery } from './rows';

export type { ClaimedDelivery, NewDelivery } from './rows';

/** How often a failed delivery is tried before it stays failed (it can still be retried by hand). */
export const MAX_ATTEMPTS = 5;

function deliveryFromRow(r: any): Delivery {
  return {
    id: Number(r.id),
    source: r.source,
    sourceType: r.source_type,
    deliveryId: r.delivery_id,
    eventType: r.event_type,
    status: r.status,
    reason: r.reason ?? undefined,
    attempts: r.attempts,
    receivedAt: isoOf(r.received_at)!,
    processedAt: isoOf(r.processed_at),
    sender: r.sender ?? undefined,
  };
}

/**
 * The delivery queue: every delivery as received (unique on source and delivery id), claimed by the
 * normaliser in batches, finished as processed, ignored or failed (retried with backoff), listed
 * and re-queued through the API. Works on PostgreSQL and SQLite.
 */
export class DeliveryQueue {
  constructor(readonly db: Knex) {}

  private get isPostgres() {
    return this.db.client.config.client === 'pg';
  }

  private pendingInserts: {
    delivery: NewDelivery;
    resolve: (r: { id: number; duplicate: boolean }) => void;
    reject: (e: unknown) => void;
  }[] = [];
  private inserting = false;

  /**
   * Stores a delivery as received; the same source and delivery id a second time is a duplicate and
   * changes nothing. Deliveries that arrive while an insert is in flight are written together in
   * the next one (one multi-row INSERT, one commit): the first waits for nothing, a burst shares
   * round trips and commits.
   */
  insert(delivery: NewDelivery): Promise<{ id: number; duplicate: boolean }> {
    return new Promise((resolve, reject) => {
      this.pendingInserts.push({ delivery, resolve, reject });
      if (!this.inserting) void this.flushInserts();
    });
  }

  private async flushInserts() {
    this.inserting = true;
    try {
      while (this.pendingInserts.length) {
        const batch = this.pendingInserts.splice(0, 500);
        try {
          const results = await this.insertBatch(batch.map(b => b.delivery));
          batch.forEach((b, i) => b.resolve(results[i]));
        } catch (e) {
          batch.forEach(b => b.reject(e));
        }
      }
    } finally {
      this.inserting = false;
    }
  }

  private async insertBatch(
    deliveries: NewDelivery[],
  ): Promise<{ id: number; duplicate: boolean }[]> {
    const key = (source: string, deliveryId: string) =>
      `${source}\u0000${deliveryId}`;
    const inserted: InsertedDelivery[] = this.isPostgres
      ? await insertDeliveriesPg(this.db, deliveries)
      : await this.db('dora_deliveries')
          .insert(
            deliveries.map(d => ({
              source: d.source,
              source_type: d.sourceType,
              delivery_id: d.deliveryId,
              event_type: d.eventType,
              payload: d.payload,
              headers: d.headers ? JSON.stringify(d.headers) : null,
              sender: d.sender ?? null,
              status: 'pending',
              received_at: d.receivedAt,
            })),
          )
          .onConflict(['source', 'delivery_id'])
          .ignore()
          .returning(['id', 'source', 'delivery_id']);
    const ids = new Map(
      inserted.map(r => [key(r.source, r.delivery_id), Number(r.id)]),
    );
    const fresh = new Set(ids.keys());
    const missing = deliveries.filter(
      d => !ids.has(key(d.source, d.deliveryId)),
    );
    if (missing.length) {
      const existing = await this.db('dora_deliveries')
        .whereIn(
          ['source', 'delivery_id'],
          missing.map(d => [d.source, d.deliveryId]),
        )
        .select('id', 'source', 'delivery_id');
      for (const r of existing)
        ids.set(key(r.source, r.delivery_id), Number(r.id));
    }
    // a delivery is new once: the first of its key in this batch that the INSERT wrote
    return deliveries.map(d => {
      const k = key(d.source, d.deliveryId);
      const duplicate = !fresh.delete(k);
      return { id: ids.get(k)!, duplicate };
    });
  }

  /**
   * Claims up to `limit` deliveries to normalise: pending ones, failed ones whose backoff has
   * passed, and ones whose claim is older than `staleMs` (a replica that stopped). Each row is
   * claimed by a conditional update, so two replicas never work the same delivery.
   */
  async claim(
    limit: number,
    now: number,
    staleMs = 5 * 60_000,
  ): Promise<ClaimedDelivery[]> {
    const due = (q: Knex.QueryBuilder) =>
      q.where(w =>
        w
          .where('status', 'pending')
          .orWhere(q2 =>
            q2
              .where('status', 'failed')
              .where('attempts', '<', MAX_ATTEMPTS)
              .where('not_before', '<=', now),
          )
          .orWhere(q2 =>
            q2
              .where('status', 'processing')
              .where('claimed_at', '<', now - staleMs),
          ),
      );
    let rows: any[];
    if (this.isPostgres) {
      // one statement: rows another replica holds are skipped, not waited for
      const ids = due(this.db('dora_deliveries').select('id'))
        .orderBy('id')
        .limit(limit)
        .forUpdate()
        .skipLocked();
      rows = await this.db('dora_deliveries')
        .whereIn('id', ids)
        .update({
          status: 'processing',
          claimed_at: now,
          attempts: this.db.raw('attempts + 1'),
        })
        .returning('*');
      rows.sort((a, b) => Number(a.id) - Number(b.id));
    } else {
      // SQLite has one writer at a time: a conditional update per row is enough
      const candidates = await due(this.db('dora_deliveries'))
        .orderBy('id')
        .limit(limit)
        .select('id', 'status', 'claimed_at');
      rows = [];
      for (const c of candidates) {
        const q = this.db('dora_deliveries').where({
          id: c.id,
          status: c.status,
        });
        if (c.claimed_at === null) q.whereNull('claimed_at');
        else q.where('claimed_at', c.claimed_at);
        const n = await q.update({
          status: 'processing',
          claimed_at: now,
          attempts: this.db.raw('attempts + 1'),
        });
        if (n === 1)
          rows.push(
            await this.db('dora_deliveries').where({ id: c.id }).first(),
          );
      }
    }
    return rows.map(r => ({
      id: Number(r.id),
      source: r.source,
      sourceType: r.source_type,
      deliveryId: r.delivery_id,
      eventType: r.event_type,
      payload: r.payload,
      headers: r.headers ? JSON.parse(r.headers) : undefined,
      sender: r.sender ?? undefined,
      receivedAt: Number(r.received_at),
      attempts: r.attempts,
    }));
  }

  async finish(
    id: number,
    status: Exclude<DeliveryStatus, 'pending' | 'processing'>,
    now: number,
    reason?: string,
    attempts = 1,
  ) {
    await this.db('dora_deliveries')
      .where({ id })
      .update({
        status,
        reason: reason ?? null,
        processed_at: status === 'failed' ? null : now,
        // 30 s, 1 min, 2 min, 4 min between attempts
        not_before:
          status === 'failed'
            ? now + 30_000 * 2 ** Math.max(0, attempts - 1)
            : 0,
      });
  }

  async list(filter: {
    status?: DeliveryStatus;
    source?: string;
    limit: number;
    offset: number;
  }) {
    const q = this.db('dora_deliveries')
      .orderBy('id', 'desc')
      .limit(filter.limit)
      .offset(filter.offset);
    if (filter.status) q.where('status', filter.status);
    if (filter.source) q.where('source', filter.source);
    const rows = await q.select(
      'id',
      'source',
      'source_type',
      'delivery_id',
      'event_type',
      'status',
      'reason',
      'attempts',
      'received_at',
      'processed_at',
      'sender',
    );
    return rows.map(deliveryFromRow);
  }

  async get(id: number): Promise<Delivery & { payload: string }> {
    const r = await this.db('dora_deliveries').where({ id }).first();
    if (!r) throw new NotFoundError(`id: no delivery with id ${id}`);
    return { ...deliveryFromRow(r), payload: r.payload };
  }

  /** Puts a delivery back in the queue (status pending, attempts kept). */
  async requeue(id: number): Promise<void> {
    const n = await this.db('dora_deliveries').where({ id }).update({
      status: 'pending',
      not_before: 0,
      claimed_at: null,
      reason: null,
    });
    if (!n) throw new NotFoundError(`id: no delivery with id ${id}`);
  }

  async count(): Promise<Record<string, number>> {
    const rows = await this.db('dora_deliveries')
      .groupBy('status')
      .select('status', this.db.raw('count(*) as n'));
    return Object.fromEntries(rows.map((r: any) => [r.status, Number(r.n)]));
  }
}
