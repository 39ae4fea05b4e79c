import { EnvironmentState } from '@internal/plugin-environments-common';
import { Knex } from 'knex';
import { changeFromRow, historyFromRow, HistoryRow, toDate } from './rows';
import {
  ChangeContext,
  EnvironmentRecord,
  HistoryRecord,
  StateChange,
} from './types';

/** A history row of a change of environment `environmentId` from `from` to `to`, at `at`. */
export const historyRow = (
  environmentId: string,
  from: EnvironmentState | null,
  to: EnvironmentState,
  change: ChangeContext,
  at: Date,
): HistoryRow => ({
  environment_id: environmentId,
  from_state: from,
  to_state: to,
  actor: change.actor,
  reason: change.reason ?? null,
  decision_id: change.decisionId ?? null,
  at,
});

/**
 * The environments' history (table `environment_history`): one row per state change, written by
 * the environment store in the transaction of the change, and the listeners told of each row once
 * it is committed. Reached as `EnvironmentStore.history`.
 */
export class HistoryStore {
  private readonly listeners = new Set<(change: StateChange) => void>();

  constructor(private readonly db: Knex) {}

  /**
   * Calls `listener` with every committed history row, with the environment as it is after the
   * change. Returns the unsubscriber.
   */
  onChange(listener: (change: StateChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stores history rows within the transaction `tx` of their change. */
  async record(tx: Knex.Transaction, rows: HistoryRow[]): Promise<void> {
    await tx('environment_history').insert(rows);
  }

  /** Tells the listeners of rows that `record` stored, after their transaction committed. */
  notify(environment: EnvironmentRecord, rows: HistoryRow[]): void {
    for (const row of rows) {
      const change = changeFromRow(environment, row);
      for (const listener of this.listeners) listener(change);
    }
  }

  /** An environment's history, oldest first. */
  async list(environmentId: string): Promise<HistoryRecord[]> {
    const rows: HistoryRow[] = await this.db('environment_history')
      .where({ environment_id: environmentId })
      .orderBy('id');
    return rows.map(r => {
      const { id: _rowId, ...record } = historyFromRow(r);
      return record;
    });
  }

  /** A page of an environment's history, oldest first, after history row `afterId`; limit + 1 rows. */
  async page(
    environmentId: string,
    page: { limit: number; afterId?: number },
  ): Promise<Array<HistoryRecord & { id: number }>> {
    const q = this.db('environment_history')
      .where({ environment_id: environmentId })
      .orderBy('id');
    if (page.afterId !== undefined) q.andWhere('id', '>', page.afterId);
    const rows: HistoryRow[] = await q.limit(page.limit + 1);
    return rows.map(historyFromRow);
  }

  /**
   * How many of `requestedBy`'s requests the guardrails refused at admission since `since`, and
   * when the oldest of them was (for Retry-After).
   */
  async refusals(
    requestedBy: string,
    since: Date,
  ): Promise<{ count: number; oldest?: Date }> {
    const row = await this.db('environments as e')
      .join('environment_history as h', 'h.environment_id', 'e.id')
      .where('e.requested_by', requestedBy)
      .andWhere('e.created_at', '>=', since)
      .andWhere('h.from_state', 'requested')
      .andWhere('h.to_state', 'rejected')
      .select(
        this.db.raw('count(*) as n'),
        this.db.raw('min(e.created_at) as oldest'),
      )
      .first();
    const count = Number(row?.n ?? 0);
    return { count, oldest: count ? toDate(row.oldest) : undefined };
  }
}
