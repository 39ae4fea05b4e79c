import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  canTransition,
  EnvironmentState,
  InvalidTransitionError,
  LIVE_STATES,
} from '@internal/plugin-environments-common';
import { Knex } from 'knex';
import { randomBytes, randomUUID } from 'node:crypto';
import { SecretBox } from '../secrets/SecretBox';
import { DEVELOPMENT_SECRETS_KEY } from '../secrets/secretsConfig';
import {
  ChangeContext,
  EnvironmentRecord,
  HistoryRecord,
  RunKind,
  RunLogEntry,
  RunRecord,
  StateChange,
} from './types';

const migrationsDir = resolvePackagePath(
  '@internal/plugin-environments-backend',
  'migrations',
);

/** A new environment, before the guardrails decide where it goes. */
export type NewEnvironment = Pick<
  EnvironmentRecord,
  | 'name'
  | 'blueprint'
  | 'owner'
  | 'requestedBy'
  | 'size'
  | 'variables'
  | 'costPerHour'
  | 'ttlHours'
>;

/** What the guardrails decided for a new environment, given its team's usage. */
export interface AdmissionDecision {
  /** queued (allowed), pending_approval (allowed after approval), rejected (denied). */
  state: 'queued' | 'pending_approval' | 'rejected';
  reason: string;
  decisionId?: string;
}

export interface TeamUsage {
  count: number;
  costPerDay: number;
}

/** Columns whose values are encrypted with the SecretBox. */
const SECRET_COLUMNS = ['secret_outputs', 'generated_secrets'] as const;
type SecretColumn = (typeof SECRET_COLUMNS)[number];

const toDate = (v: unknown) =>
  v === null || v === undefined ? undefined : new Date(v as string);

function envFromRow(r: any): EnvironmentRecord {
  return {
    id: r.id,
    name: r.name,
    blueprint: r.blueprint,
    owner: r.owner,
    requestedBy: r.requested_by,
    size: r.size,
    variables: JSON.parse(r.variables),
    costPerHour: Number(r.cost_per_hour),
    ttlHours: r.ttl_hours,
    expiresAt: toDate(r.expires_at),
    state: r.state,
    drift: Boolean(r.drift),
    outputs: r.outputs ? JSON.parse(r.outputs) : undefined,
    version: r.version,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  };
}

function historyFromRow(r: any): HistoryRecord & { id: number } {
  return {
    id: Number(r.id),
    environmentId: r.environment_id,
    from: r.from_state ?? undefined,
    to: r.to_state,
    actor: r.actor,
    reason: r.reason ?? undefined,
    decisionId: r.decision_id ?? undefined,
    at: new Date(r.at),
  };
}

/**
 * Newest first (created_at, then id, both descending), after the keyset `cursor`: the last row of
 * the previous page.
 */
function newestFirstAfter(
  q: Knex.QueryBuilder,
  cursor?: { at: number; id: string },
): Knex.QueryBuilder {
  q.orderBy([
    { column: 'created_at', order: 'desc' },
    { column: 'id', order: 'desc' },
  ]);
  if (cursor) {
    const at = new Date(cursor.at);
    q.andWhere(w =>
      w
        .where('created_at', '<', at)
        .orWhere(x =>
          x.where('created_at', '=', at).andWhere('id', '<', cursor.id),
        ),
    );
  }
  return q;
}

function runFromRow(r: any): RunRecord {
  return {
    id: r.id,
    environmentId: r.environment_id,
    kind: r.kind,
    state: r.state,
    attempt: r.attempt,
    claimedBy: r.claimed_by ?? undefined,
    heartbeatAt: toDate(r.heartbeat_at),
    notBefore: new Date(r.not_before),
    error: r.error ?? undefined,
    createdAt: new Date(r.created_at),
    startedAt: toDate(r.started_at),
    finishedAt: toDate(r.finished_at),
  };
}

/**
 * The environments' store: environments and their state machine (every change in one
 * transaction with its history row), the run queue that any replica may claim, and run logs.
 * Works on PostgreSQL and SQLite.
 */
export class EnvironmentStore {
  /**
   * `secrets` encrypts secret outputs and generated secrets at rest (environments.secrets.keys);
   * without it, the development key (tests, and the embedded default).
   */
  static async create(
    knex: Knex,
    options: { skipMigrations?: boolean; secrets?: SecretBox } = {},
  ) {
    if (!options.skipMigrations) {
      await knex.migrate.latest({ directory: migrationsDir });
    }
    return new EnvironmentStore(
      knex,
      options.secrets ?? new SecretBox([DEVELOPMENT_SECRETS_KEY]),
    );
  }

  private constructor(
    private readonly db: Knex,
    private readonly box: SecretBox,
  ) {}

  private readonly queuedListeners = new Set<() => void>();
  private readonly changeListeners = new Set<(change: StateChange) => void>();

  /**
   * Calls `listener` with every state change this store has committed (the rows of the stored
   * history, with the environment as it is after the change): admissions, transitions and
   * extensions, whoever made them (a person, the worker, the reaper). Returns the unsubscriber.
   */
  onStateChange(listener: (change: StateChange) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  private changed(
    environment: EnvironmentRecord,
    rows: {
      from_state: string | null;
      to_state: string;
      actor: string;
      reason?: string | null;
      decision_id?: string | null;
      at: Date;
    }[],
  ) {
    for (const row of rows) {
      const change: StateChange = {
        environment,
        from: (row.from_state as EnvironmentState | null) ?? null,
        to: row.to_state as EnvironmentState,
        actor: row.actor,
        reason: row.reason ?? undefined,
        decisionId: row.decision_id ?? undefined,
        at: row.at,
      };
      for (const listener of this.changeListeners) listener(change);
    }
  }

  /**
   * Calls `listener` whenever this store has queued a run (after the transaction commits), so
   * that this replica's worker starts at once instead of at its next poll. Returns the unsubscriber.
   */
  onRunQueued(listener: () => void): () => void {
    this.queuedListeners.add(listener);
    return () => this.queuedListeners.delete(listener);
  }

  private runQueued() {
    for (const listener of this.queuedListeners) listener();
  }

  private get isPostgres() {
    return this.db.client.config.client === 'pg';
  }

  /**
   * Admits a new environment: with the team's usage locked (one admission per team at a time,
   * across replicas on PostgreSQL), asks `decide` and stores the environment in the state it
   * chose, with the history of the admission, and queues its apply run when it is queued.
   */
  async admit(
    env: NewEnvironment,
    decide: (usage: TeamUsage) => Promise<AdmissionDecision>,
  ): Promise<{ environment: EnvironmentRecord; decision: AdmissionDecision }> {
    const admitted = await this.db.transaction(async tx => {
      if (this.isPostgres) {
        await tx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [
          `environments:${env.owner}`,
        ]);
      }
      const usage = await this.usageIn(tx, env.owner);
      const decision = await decide(usage);
      const id = randomUUID();
      const now = new Date();
      await tx('environments').insert({
        id,
        name: env.name,
        blueprint: env.blueprint,
        owner: env.owner,
        requested_by: env.requestedBy,
        size: env.size,
        variables: JSON.stringify(env.variables),
        cost_per_hour: env.costPerHour,
        ttl_hours: env.ttlHours,
        state: decision.state,
        created_at: now,
        updated_at: now,
      });
      const history = [
        {
          environment_id: id,
          from_state: null,
          to_state: 'requested',
          actor: env.requestedBy,
          at: now,
        },
        {
          environment_id: id,
          from_state: 'requested',
          to_state: decision.state,
          actor: env.requestedBy,
          reason: decision.reason,
          decision_id: decision.decisionId ?? null,
          at: now,
        },
      ];
      await tx('environment_history').insert(history);
      if (decision.state === 'queued') await this.enqueueIn(tx, id, 'apply');
      const row = await tx('environments').where({ id }).first();
      return { environment: envFromRow(row), decision, history };
    });
    this.changed(admitted.environment, admitted.history);
    if (admitted.decision.state === 'queued') this.runQueued();
    return { environment: admitted.environment, decision: admitted.decision };
  }

  /** The team's environments that may hold resources: how many, and what they cost a day. */
  usage(owner: string): Promise<TeamUsage> {
    return this.usageIn(this.db, owner);
  }

  private async usageIn(
    db: Knex | Knex.Transaction,
    owner: string,
  ): Promise<TeamUsage> {
    const row = await db('environments')
      .where({ owner })
      .whereIn('state', [...LIVE_STATES, 'pending_approval'])
      .select(
        db.raw('count(*) as n'),
        db.raw('coalesce(sum(cost_per_hour), 0) as c'),
      )
      .first();
    return { count: Number(row?.n ?? 0), costPerDay: Number(row?.c ?? 0) * 24 };
  }

  async get(id: string): Promise<EnvironmentRecord> {
    const row = await this.db('environments').where({ id }).first();
    if (!row) throw new NotFoundError(`no environment with id ${id}`);
    return envFromRow(row);
  }

  async list(
    filter: {
      owners?: string[];
      requestedBy?: string;
      states?: EnvironmentState[];
    } = {},
  ) {
    const q = this.db('environments').orderBy('created_at', 'desc');
    if (filter.owners) q.whereIn('owner', filter.owners);
    if (filter.requestedBy) q.where('requested_by', filter.requestedBy);
    if (filter.states) q.whereIn('state', filter.states);
    return (await q).map(envFromRow);
  }

  /**
   * Moves an environment to `to`, if the state machine allows it from the state it is in, with a
   * history row, in one transaction. `patch` changes other columns in the same update. A
   * concurrent change makes this fail with a ConflictError rather than overwrite it.
   */
  async transition(
    id: string,
    to: EnvironmentState,
    change: ChangeContext & {
      expectFrom?: EnvironmentState[];
      patch?: {
        expiresAt?: Date;
        outputs?: Record<string, unknown>;
        secretOutputs?: Record<string, unknown>;
        drift?: boolean;
      };
      enqueue?: RunKind;
    },
  ): Promise<EnvironmentRecord> {
    const changed = await this.db.transaction(async tx => {
      const row = await tx('environments').where({ id }).first();
      if (!row) throw new NotFoundError(`no environment with id ${id}`);
      const from = row.state as EnvironmentState;
      if (change.expectFrom && !change.expectFrom.includes(from)) {
        throw new ConflictError(
          `the environment is ${from}, not ${change.expectFrom.join(' or ')}`,
        );
      }
      if (!canTransition(from, to)) throw new InvalidTransitionError(from, to);
      const now = new Date();
      const patch: Record<string, unknown> = {
        state: to,
        version: row.version + 1,
        updated_at: now,
      };
      if (change.patch?.expiresAt) patch.expires_at = change.patch.expiresAt;
      if (change.patch?.outputs)
        patch.outputs = JSON.stringify(change.patch.outputs);
      if (change.patch?.secretOutputs)
        patch.secret_outputs = this.sealSecrets(
          id,
          'secret_outputs',
          change.patch.secretOutputs,
        );
      if (change.patch?.drift !== undefined) patch.drift = change.patch.drift;
      const updated = await tx('environments')
        .where({ id, version: row.version })
        .update(patch);
      if (updated !== 1)
        throw new ConflictError(
          `environment ${id} changed while it was being updated`,
        );
      const history = {
        environment_id: id,
        from_state: from,
        to_state: to,
        actor: change.actor,
        reason: change.reason ?? null,
        decision_id: change.decisionId ?? null,
        at: now,
      };
      await tx('environment_history').insert(history);
      if (change.enqueue) await this.enqueueIn(tx, id, change.enqueue);
      return {
        environment: envFromRow(await tx('environments').where({ id }).first()),
        history,
      };
    });
    this.changed(changed.environment, [changed.history]);
    if (change.enqueue) this.runQueued();
    return changed.environment;
  }

  /**
   * Moves an active environment's expiry (extend), recorded in the history as active -> active
   * with the reason. Fails with a ConflictError when the environment is not active.
   */
  async extend(
    id: string,
    expiresAt: Date,
    change: ChangeContext,
  ): Promise<EnvironmentRecord> {
    const extended = await this.db.transaction(async tx => {
      const row = await tx('environments').where({ id }).first();
      if (!row) throw new NotFoundError(`no environment with id ${id}`);
      if (row.state !== 'active')
        throw new ConflictError(
          `only an active environment can be extended; this one is ${row.state}`,
        );
      const now = new Date();
      const n = await tx('environments')
        .where({ id, version: row.version })
        .update({
          expires_at: expiresAt,
          version: row.version + 1,
          updated_at: now,
        });
      if (n !== 1)
        throw new ConflictError(
          `environment ${id} changed while it was being extended`,
        );
      const history = {
        environment_id: id,
        from_state: 'active',
        to_state: 'active',
        actor: change.actor,
        reason: change.reason ?? null,
        decision_id: change.decisionId ?? null,
        at: now,
      };
      await tx('environment_history').insert(history);
      return {
        environment: envFromRow(await tx('environments').where({ id }).first()),
        history,
      };
    });
    this.changed(extended.environment, [extended.history]);
    return extended.environment;
  }

  /** Sets or clears the drift flag of an environment (no state change). */
  async setDrift(id: string, drift: boolean): Promise<void> {
    await this.db('environments')
      .where({ id })
      .update({ drift, updated_at: new Date() });
  }

  /** Active environments whose expiry has passed, for the reaper. */
  async expired(now = new Date()): Promise<EnvironmentRecord[]> {
    return (
      await this.db('environments')
        .where('state', 'active')
        .andWhere('expires_at', '<=', now)
    ).map(envFromRow);
  }

  /**
   * Active environments that expire after `now` and by `horizon`, whose owners have not been
   * reminded of this expiry yet (an extension moves the expiry, so its reminder is due again).
   */
  async dueForReminder(now: Date, horizon: Date): Promise<EnvironmentRecord[]> {
    const rows = await this.db('environments')
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

  /** An environment's secret outputs (only for callers allowed to see them), decrypted. */
  async secretOutputs(id: string): Promise<Record<string, unknown>> {
    const row = await this.db('environments')
      .where({ id })
      .select('secret_outputs')
      .first();
    if (!row) throw new NotFoundError(`no environment with id ${id}`);
    return this.openSecrets(id, 'secret_outputs', row.secret_outputs);
  }

  // ------------------------------------------------------------ secrets at rest

  private sealSecrets(
    id: string,
    column: SecretColumn,
    value: Record<string, unknown>,
  ): string {
    return this.box.encrypt(JSON.stringify(value), `${column}:${id}`);
  }

  private openSecrets(
    id: string,
    column: SecretColumn,
    stored: string | null | undefined,
  ): Record<string, unknown> {
    return stored
      ? JSON.parse(this.box.decrypt(stored, `${column}:${id}`))
      : {};
  }

  /**
   * The secrets the portal generates for an environment's module (a blueprint's
   * spec.runner.generatedSecrets), creating the missing ones: 32 random hex characters each, stored
   * encrypted before the first run uses them, so that every attempt and every replica passes the
   * same values and the runner knows them (to redact them) whatever the run prints.
   */
  async generatedSecrets(
    id: string,
    names: readonly string[],
  ): Promise<Record<string, string>> {
    for (;;) {
      const row = await this.db('environments')
        .where({ id })
        .select('generated_secrets')
        .first();
      if (!row) throw new NotFoundError(`no environment with id ${id}`);
      const current = this.openSecrets(
        id,
        'generated_secrets',
        row.generated_secrets,
      ) as Record<string, string>;
      const missing = names.filter(n => typeof current[n] !== 'string');
      if (missing.length === 0) return current;
      const next = { ...current };
      for (const name of missing) next[name] = randomBytes(16).toString('hex');
      const q = this.db('environments').where({ id });
      if (row.generated_secrets === null || row.generated_secrets === undefined)
        q.whereNull('generated_secrets');
      else q.where('generated_secrets', row.generated_secrets);
      // a concurrent writer (another replica's attempt) wins; read its values again
      if (
        (await q.update({
          generated_secrets: this.sealSecrets(id, 'generated_secrets', next),
        })) === 1
      )
        return next;
    }
  }

  /**
   * Encrypts, with the first key of environments.secrets.keys, every stored secret that is in
   * plain text (written before encryption) or encrypted with another key (after a rotation), a
   * page of rows at a time. Run at every start; returns how many values it rewrote.
   */
  async reencryptSecrets(pageSize = 200): Promise<number> {
    let rewritten = 0;
    let after = '';
    for (;;) {
      const rows = await this.db('environments')
        .select('id', 'secret_outputs', 'generated_secrets')
        .where('id', '>', after)
        .andWhere(q =>
          q.whereNotNull('secret_outputs').orWhereNotNull('generated_secrets'),
        )
        .orderBy('id')
        .limit(pageSize);
      for (const row of rows) {
        for (const column of SECRET_COLUMNS) {
          const stored: string | null = row[column];
          if (!stored || !this.box.needsReencryption(stored)) continue;
          const sealed = this.sealSecrets(
            row.id,
            column,
            this.openSecrets(row.id, column, stored),
          );
          rewritten += await this.db('environments')
            .where({ id: row.id, [column]: stored })
            .update({ [column]: sealed });
        }
      }
      if (rows.length < pageSize) return rewritten;
      after = rows[rows.length - 1].id;
    }
  }

  async history(id: string): Promise<HistoryRecord[]> {
    const rows = await this.db('environment_history')
      .where({ environment_id: id })
      .orderBy('id');
    return rows.map(r => {
      const { id: _rowId, ...record } = historyFromRow(r);
      return record;
    });
  }

  // ------------------------------------------------------------------ pages, refusals, retention

  /**
   * A page of environments, newest first, after the keyset `cursor` (the last one of the previous
   * page): at most `limit` + 1 rows, so that the caller can tell whether there is a next page.
   */
  async listPage(
    filter: {
      owners?: string[];
      requestedBy?: string;
      states?: EnvironmentState[];
    },
    page: { limit: number; cursor?: { at: number; id: string } },
  ): Promise<EnvironmentRecord[]> {
    const q = this.db('environments');
    if (filter.owners) q.whereIn('owner', filter.owners);
    if (filter.requestedBy) q.where('requested_by', filter.requestedBy);
    if (filter.states) q.whereIn('state', filter.states);
    return (await newestFirstAfter(q, page.cursor).limit(page.limit + 1)).map(
      envFromRow,
    );
  }

  /** A page of an environment's runs, newest first, after the keyset `cursor`; limit + 1 rows. */
  async runsPage(
    environmentId: string,
    page: { limit: number; cursor?: { at: number; id: string } },
  ): Promise<RunRecord[]> {
    const q = this.db('runs').where({ environment_id: environmentId });
    return (await newestFirstAfter(q, page.cursor).limit(page.limit + 1)).map(
      runFromRow,
    );
  }

  /** A page of an environment's history, oldest first, after history row `afterId`; limit + 1 rows. */
  async historyPage(
    id: string,
    page: { limit: number; afterId?: number },
  ): Promise<Array<HistoryRecord & { id: number }>> {
    const q = this.db('environment_history')
      .where({ environment_id: id })
      .orderBy('id');
    if (page.afterId !== undefined) q.andWhere('id', '>', page.afterId);
    return (await q.limit(page.limit + 1)).map(historyFromRow);
  }

  /**
   * How many of `requestedBy`'s requests the guardrails refused at admission since `since`, and
   * when the oldest of them was (for Retry-After).
   */
  async recentRefusals(
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

  /**
   * Retention: deletes, with their logs, up to `batchSize` runs that finished before `before`,
   * of environments that are destroyed or rejected, and of other environments every run except
   * the latest finished one of each kind (so a live environment keeps its latest apply, refresh
   * and destroy logs whatever their age). Queued and running runs are never deleted. Returns how many runs.
   */
  async deleteRunsFinishedBefore(
    before: Date,
    batchSize: number,
  ): Promise<number> {
    const db = this.db;
    const ids: string[] = (
      await db('runs as r')
        .join('environments as e', 'e.id', 'r.environment_id')
        .whereIn('r.state', ['succeeded', 'failed'])
        .andWhere('r.finished_at', '<', before)
        .andWhere(w =>
          w.whereIn('e.state', ['destroyed', 'rejected']).orWhereExists(
            db('runs as newer')
              .select(db.raw('1'))
              .whereRaw('newer.environment_id = r.environment_id')
              .andWhereRaw('newer.kind = r.kind')
              .whereIn('newer.state', ['succeeded', 'failed'])
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

  // ------------------------------------------------------------------ runs

  async enqueueRun(
    environmentId: string,
    kind: RunKind,
    options: { notBefore?: Date; attempt?: number } = {},
  ) {
    const id = await this.enqueueIn(this.db, environmentId, kind, options);
    if (!options.notBefore) this.runQueued();
    return id;
  }

  private async enqueueIn(
    db: Knex | Knex.Transaction,
    environmentId: string,
    kind: RunKind,
    options: { notBefore?: Date; attempt?: number } = {},
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
  async claimNextRun(
    worker: string,
    now = new Date(),
  ): Promise<RunRecord | undefined> {
    const claim = {
      state: 'running',
      claimed_by: worker,
      heartbeat_at: now,
      started_at: now,
    };
    if (this.isPostgres) {
      const rows = await this.db('runs')
        .update(claim)
        .whereIn(
          'id',
          this.db('runs')
            .select('id')
            .where('state', 'queued')
            .andWhere('not_before', '<=', now)
            .orderBy('created_at')
            .limit(1)
            .forUpdate()
            .skipLocked(),
        )
        .returning('*');
      return rows[0] ? runFromRow(rows[0]) : undefined;
    }
    for (;;) {
      const next = await this.db('runs')
        .where('state', 'queued')
        .andWhere('not_before', '<=', now)
        .orderBy('created_at')
        .first();
      if (!next) return undefined;
      const n = await this.db('runs')
        .where({ id: next.id, state: 'queued' })
        .update(claim);
      if (n === 1)
        return runFromRow(await this.db('runs').where({ id: next.id }).first());
    }
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
  async requeueStaleRuns(staleBefore: Date): Promise<RunRecord[]> {
    const stale = await this.db('runs')
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
    if (taken.length) this.runQueued();
    return taken;
  }

  async finishRun(
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
    return n === 1;
  }

  async getRun(runId: string): Promise<RunRecord> {
    const row = await this.db('runs').where({ id: runId }).first();
    if (!row) throw new NotFoundError(`no run with id ${runId}`);
    return runFromRow(row);
  }

  async runs(environmentId: string): Promise<RunRecord[]> {
    return (
      await this.db('runs')
        .where({ environment_id: environmentId })
        .orderBy('created_at')
    ).map(runFromRow);
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
    const rows = await q;
    return rows.map(r => ({
      seq: r.seq,
      level: r.level,
      message: r.message,
      at: new Date(r.at),
    }));
  }
}
