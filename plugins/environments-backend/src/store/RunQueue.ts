import { NotFoundError } from '@backstage/errors';
import {
  FINISHED_RUN_STATES,
  TERMINAL_STATES,
} from '@internal/plugin-environments-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { CreatedPage, newestFirstPage } from './keyset';
import { logFromRow, runFromRow, RunRow } from './rows';
import { RunKind, RunLogEntry, RunRecord, RunState } from './types';

/** When a queued run may start, and which attempt it is. */
export interface EnqueueOptions {
  /** Not claimed before this time (a retry's backoff); now by default. */
  notBefore?: Date;
  attempt?: number;
}

/**
 * What happened to a run, for `RunQueue.onRunChange`: it changed state (`state`), or log lines
 * were appended to it (no `state`). `environmentId` when the queue knows it without a query.
 */
export interface RunChange {
  runId: string;
  environmentId?: string;
  state?: RunState;
}

/**
 * The run queue (table `runs`) that any replica's worker may claim, and the runs' logs (table
 * `run_logs`): enqueue, claim, heartbeat, finish, the takeover of runs whose worker went silent,
 * pages of an environment's runs, and retention. Works on PostgreSQL and SQLite. Reached as
 * `EnvironmentStore.runs`; the environment store queues a run in the same transaction as the
 * state change that needs it.
 */
export class RunQueue {
  private readonly queuedListeners = new Set<() => void>();
  private readonly changeListeners = new Set<(change: RunChange) => void>();

  constructor(private readonly db: Knex) {}

  private get isPostgres() {
    return this.db.client.config.client === 'pg';
  }

  /**
   * Calls `listener` whenever this store has queued a run (after the transaction commits), so
   * that this replica's worker starts at once instead of at its next poll. Returns the unsubscriber.
   */
  onQueued(listener: () => void): () => void {
    this.queuedListeners.add(listener);
    return () => this.queuedListeners.delete(listener);
  }

  /** Tells the listeners that a run was queued; for the environment store, after its commit. */
  notifyQueued(): void {
    for (const listener of this.queuedListeners) listener();
  }

  /**
   * Calls `listener`, after the commit, whenever this store has appended log lines to a run or
   * changed a run's state (queued by `enqueue` or a takeover, claimed, finished). Runs queued in
   * the environment store's transaction come with that state change instead. Returns the
   * unsubscriber.
   */
  onRunChange(listener: (change: RunChange) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  private tell(change: RunChange) {
    for (const listener of this.changeListeners) {
      try {
        listener(change);
      } catch {
        // a listener's failure is its own; the queue goes on
      }
    }
  }

  /** Queues a run of an environment; returns its id. */
  async enqueue(
    environmentId: string,
    kind: RunKind,
    options: EnqueueOptions = {},
  ): Promise<string> {
    const id = await this.enqueueIn(this.db, environmentId, kind, options);
    if (!options.notBefore) this.notifyQueued();
    this.tell({ runId: id, environmentId, state: 'queued' });
    return id;
  }

  /**
   * Queues a run within `db` (the environment store's transaction), without telling the
   * listeners: the caller does, once the transaction has committed.
   */
  async enqueueIn(
    db: Knex | Knex.Transaction,
    environmentId: string,
    kind: RunKind,
    options: EnqueueOptions = {},
  ): Promise<string> {
    const id = randomUUID();
    const now = new Date();
    await db('runs').insert({
      id,
      environment_id: environmentId,
      kind,
      state: 'queued',
      attempt: options.attempt ?? 1,
      not_before: options.notBefore ?? now,
      created_at: now,
    });
    return id;
  }

  /**
   * Claims the oldest queued run that is due, for `worker`, atomically: two replicas never claim
   * the same run (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: a conditional update).
   */
  async claim(
    worker: string,
    now = new Date(),
  ): Promise<RunRecord | undefined> {
    const claim = {
      state: 'running',
      claimed_by: worker,
      heartbeat_at: now,
      started_at: now,
    };
    const due = () =>
      this.db('runs')
        .where('state', 'queued')
        .andWhere('not_before', '<=', now)
        .orderBy('created_at');
    if (this.isPostgres) {
      const rows: RunRow[] = await this.db('runs')
        .update(claim)
        .whereIn('id', due().select('id').limit(1).forUpdate().skipLocked())
        .returning('*');
      return this.claimed(rows[0] ? runFromRow(rows[0]) : undefined);
    }
    for (;;) {
      const next: RunRow | undefined = await due().first();
      if (!next) return undefined;
      const n = await this.db('runs')
        .where({ id: next.id, state: 'queued' })
        .update(claim);
      if (n === 1) return this.claimed(await this.get(next.id));
    }
  }

  private claimed(run: RunRecord | undefined) {
    if (run)
      this.tell({
        runId: run.id,
        environmentId: run.environmentId,
        state: run.state,
      });
    return run;
  }

  /** Records that `worker` still works on the run; false when the run is no longer its own. */
  async heartbeat(
    runId: string,
    worker: string,
    now = new Date(),
  ): Promise<boolean> {
    const n = await this.db('runs')
      .where({ id: runId, claimed_by: worker, state: 'running' })
      .update({ heartbeat_at: now });
    return n === 1;
  }

  /**
   * Puts runs whose worker stopped sending heartbeats before `staleBefore` back in the queue, as a
   * new attempt, so that another replica (or this one after a restart) takes them over.
   */
  async requeueStale(staleBefore: Date): Promise<RunRecord[]> {
    const stale: RunRow[] = await this.db('runs')
      .where('state', 'running')
      .andWhere('heartbeat_at', '<', staleBefore);
    const taken: RunRecord[] = [];
    for (const r of stale) {
      const n = await this.db('runs')
        .where({ id: r.id, state: 'running', claimed_by: r.claimed_by })
        .update({
          state: 'queued',
          claimed_by: null,
          heartbeat_at: null,
          attempt: r.attempt + 1,
        });
      if (n === 1)
        taken.push(
          runFromRow({
            ...r,
            state: 'queued',
            claimed_by: null,
            attempt: r.attempt + 1,
          }),
        );
    }
    if (taken.length) this.notifyQueued();
    for (const r of taken)
      this.tell({
        runId: r.id,
        environmentId: r.environmentId,
        state: r.state,
      });
    return taken;
  }

  /** Ends `worker`'s run; false when the run is no longer its own (another worker took it over). */
  async finish(
    runId: string,
    worker: string,
    outcome: 'succeeded' | 'failed',
    error?: string,
  ): Promise<boolean> {
    const n = await this.db('runs')
      .where({ id: runId, claimed_by: worker, state: 'running' })
      .update({
        state: outcome,
        error: error ?? null,
        finished_at: new Date(),
      });
    if (n === 1) this.tell({ runId, state: outcome });
    return n === 1;
  }

  async get(runId: string): Promise<RunRecord> {
    const row: RunRow | undefined = await this.db('runs')
      .where({ id: runId })
      .first();
    if (!row) throw new NotFoundError(`no run with id ${runId}`);
    return runFromRow(row);
  }

  /** Every run of an environment, oldest first. */
  async list(environmentId: string): Promise<RunRecord[]> {
    const rows: RunRow[] = await this.db('runs')
      .where({ environment_id: environmentId })
      .orderBy('created_at');
    return rows.map(runFromRow);
  }

  /** A page of an environment's runs, newest first, after the keyset `cursor`; limit + 1 rows. */
  async page(environmentId: string, page: CreatedPage): Promise<RunRecord[]> {
    const rows: RunRow[] = await newestFirstPage(
      this.db('runs').where({ environment_id: environmentId }),
      page,
    );
    return rows.map(runFromRow);
  }

  /** Appends log lines to a run, numbering them after the ones it has. */
  async appendLog(
    runId: string,
    entries: Array<Omit<RunLogEntry, 'seq' | 'at'> & { at?: Date }>,
  ): Promise<void> {
    if (entries.length === 0) return;
    await this.db.transaction(async tx => {
      const last = await tx('run_logs')
        .where({ run_id: runId })
        .max({ m: 'seq' })
        .first();
      let seq = Number(last?.m ?? 0);
      await tx('run_logs').insert(
        entries.map(e => ({
          run_id: runId,
          seq: ++seq,
          level: e.level,
          message: e.message,
          at: e.at ?? new Date(),
        })),
      );
    });
    this.tell({ runId });
  }

  /** A run's log lines after `afterSeq` (at most `limit` of them), for the live view. */
  async logs(
    runId: string,
    afterSeq = 0,
    limit?: number,
  ): Promise<RunLogEntry[]> {
    const q = this.db('run_logs')
      .where({ run_id: runId })
      .andWhere('seq', '>', afterSeq)
      .orderBy('seq');
    if (limit !== undefined) q.limit(limit);
    return (await q).map(logFromRow);
  }

  /**
   * Retention: deletes, with their logs, up to `batchSize` runs that finished before `before`,
   * of environments that are destroyed or rejected, and of other environments every run except
   * the latest finished one of each kind (so a live environment keeps its latest apply, refresh
   * and destroy logs whatever their age). Queued and running runs are never deleted. Returns how
   * many runs.
   */
  async deleteFinishedBefore(before: Date, batchSize: number): Promise<number> {
    const db = this.db;
    const finished = FINISHED_RUN_STATES;
    const ids: string[] = (
      await db('runs as r')
        .join('environments as e', 'e.id', 'r.environment_id')
        .whereIn('r.state', finished)
        .andWhere('r.finished_at', '<', before)
        .andWhere(w =>
          w.whereIn('e.state', TERMINAL_STATES).orWhereExists(
            db('runs as newer')
              .select(db.raw('1'))
              .whereRaw('newer.environment_id = r.environment_id')
              .andWhereRaw('newer.kind = r.kind')
              .whereIn('newer.state', finished)
              .andWhere(n =>
                n
                  .whereRaw('newer.created_at > r.created_at')
                  .orWhere(x =>
                    x
                      .whereRaw('newer.created_at = r.created_at')
                      .andWhereRaw('newer.id > r.id'),
                  ),
              ),
          ),
        )
        .orderBy('r.finished_at')
        .limit(batchSize)
        .select('r.id')
    ).map((r: { id: string }) => r.id);
    if (ids.length === 0) return 0;
    await db.transaction(async tx => {
      await tx('run_logs').whereIn('run_id', ids).delete();
      await tx('runs').whereIn('id', ids).delete();
    });
    return ids.length;
  }
}
