import { Knex } from 'knex';
import { EnvironmentRow, envFromRow } from './rows';
import { EnvironmentRecord } from './types';

/**
 * The environments' expiry, for the scheduled jobs: which active environments are past it (the
 * reaper) and which are due a reminder of it (the expiry reminders, with the reminded_for column
 * that makes each reminder go out once). Reached as `EnvironmentStore.expiries`.
 */
export class ExpiryStore {
  constructor(private readonly db: Knex) {}

  /** Active environments whose expiry has passed, for the reaper. */
  async expired(now = new Date()): Promise<EnvironmentRecord[]> {
    const rows: EnvironmentRow[] = await this.db('environments')
      .where('state', 'active')
      .andWhere('expires_at', '<=', now);
    return rows.map(envFromRow);
  }

  /**
   * Active environments that expire after `now` and by `horizon`, whose owners have not been
   * reminded of this expiry yet (an extension moves the expiry, so its reminder is due again).
   */
  async dueForReminder(now: Date, horizon: Date): Promise<EnvironmentRecord[]> {
    const rows: EnvironmentRow[] = await this.db('environments')
      .where('state', 'active')
      .andWhere('expires_at', '>', now)
      .andWhere('expires_at', '<=', horizon)
      .andWhere(q =>
        q.whereNull('reminded_for').orWhereRaw('reminded_for <> expires_at'),
      );
    return rows.map(envFromRow);
  }

  /**
   * Records that the owners were reminded of `expiresAt`; false when the expiry moved meanwhile
   * (or another replica recorded it first), and the caller should not send it.
   */
  async claimReminder(id: string, expiresAt: Date): Promise<boolean> {
    const n = await this.db('environments')
      .where({ id, state: 'active', expires_at: expiresAt })
      .andWhere(q =>
        q.whereNull('reminded_for').orWhereRaw('reminded_for <> expires_at'),
      )
      .update({ reminded_for: expiresAt });
    return n === 1;
  }
}
