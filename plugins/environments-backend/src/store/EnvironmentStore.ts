import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  canTransition,
  EnvironmentState,
  InvalidTransitionError,
  NOT_GONE_STATES,
} from '@internal/plugin-environments-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { SecretBox } from '../secrets/SecretBox';
import { DEVELOPMENT_SECRETS_KEY } from '../secrets/secretsConfig';
import { EnvironmentSecrets } from './EnvironmentSecrets';
import { ExpiryStore } from './ExpiryStore';
import { CreatedPage, newestFirstPage } from './keyset';
import { historyRow, HistoryStore } from './HistoryStore';
import { EnvironmentRow, envFromRow } from './rows';
import { RunQueue } from './RunQueue';
import {
  AdmissionDecision,
  ChangeContext,
  EnvironmentFilter,
  EnvironmentRecord,
  NewEnvironment,
  RunKind,
  StateChange,
  TeamUsage,
  TransitionPatch,
} from './types';

const migrationsDir = resolvePackagePath(
  '@internal/plugin-environments-backend',
  'migrations',
);

const filtered = (q: Knex.QueryBuilder, filter: EnvironmentFilter) => {
  if (filter.owners) q.whereIn('owner', filter.owners);
  if (filter.requestedBy) q.where('requested_by', filter.requestedBy);
  if (filter.states) q.whereIn('state', filter.states);
  return q;
};

/**
 * The environments and their state machine: every state change is checked against the lifecycle's
 * transition table (canTransition), made with an optimistic version check, and stored in one
 * transaction with its history row (and the run it queues). The run queue is `runs`, the secrets
 * at rest `secrets`. Works on PostgreSQL and SQLite.
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

  /** The run queue and the runs' logs. */
  readonly runs: RunQueue;
  /** The environments' history: a row per state change. */
  readonly history: HistoryStore;
  /** The environments' secret outputs and generated secrets, encrypted at rest. */
  readonly secrets: EnvironmentSecrets;
  /** Which environments are past their expiry, and which are due a reminder of it. */
  readonly expiries: ExpiryStore;

  private constructor(private readonly db: Knex, box: SecretBox) {
    this.runs = new RunQueue(db);
    this.history = new HistoryStore(db);
    this.secrets = new EnvironmentSecrets(db, box);
    this.expiries = new ExpiryStore(db);
  }

  /**
   * Calls `listener` with every state change this store has committed (the rows of the stored
   * history, with the environment as it is after the change): admissions, transitions and
   * extensions, whoever made them (a person, the worker, the reaper). Returns the unsubscriber.
   */
  onStateChange(listener: (change: StateChange) => void): () => void {
    return this.history.onChange(listener);
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
      const decision = await decide(await this.usageIn(tx, env.owner));
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
      const by = { actor: env.requestedBy };
      const { reason, decisionId } = decision;
      const history = [
        historyRow(id, null, 'requested', by, now),
        historyRow(
          id,
          'requested',
          decision.state,
          { ...by, reason, decisionId },
          now,
        ),
      ];
      await this.history.record(tx, history);
      if (decision.state === 'queued')
        await this.runs.enqueueIn(tx, id, 'apply');
      const row = await tx('environments').where({ id }).first();
      return { environment: envFromRow(row), decision, history };
    });
    this.history.notify(admitted.environment, admitted.history);
    if (admitted.decision.state === 'queued') this.runs.notifyQueued();
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
      .whereIn('state', NOT_GONE_STATES)
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

  /** Every environment that matches `filter`, newest first (for the jobs; the API pages). */
  async list(filter: EnvironmentFilter = {}): Promise<EnvironmentRecord[]> {
    const rows: EnvironmentRow[] = await filtered(
      this.db('environments').orderBy('created_at', 'desc'),
      filter,
    );
    return rows.map(envFromRow);
  }

  /** A page of environments, newest first, after the keyset `cursor`; limit + 1 rows. */
  async listPage(
    filter: EnvironmentFilter,
    page: CreatedPage,
  ): Promise<EnvironmentRecord[]> {
    const rows: EnvironmentRow[] = await newestFirstPage(
      filtered(this.db('environments'), filter),
      page,
    );
    return rows.map(envFromRow);
  }

  /**
   * Moves an environment to `to`, if the transition table allows it from the state it is in, with
   * a history row, in one transaction. `patch` changes other columns in the same update. A
   * concurrent change makes this fail with a ConflictError rather than overwrite it.
   */
  async transition(
    id: string,
    to: EnvironmentState,
    change: ChangeContext & {
      expectFrom?: EnvironmentState[];
      patch?: TransitionPatch;
      enqueue?: RunKind;
    },
  ): Promise<EnvironmentRecord> {
    return this.change(id, 'updated', change, row => {
      const from = row.state;
      if (change.expectFrom && !change.expectFrom.includes(from)) {
        throw new ConflictError(
          `the environment is ${from}, not ${change.expectFrom.join(' or ')}`,
        );
      }
      if (!canTransition(from, to)) throw new InvalidTransitionError(from, to);
      const { expiresAt, outputs, secretOutputs, drift } = change.patch ?? {};
      const patch: Record<string, unknown> = { state: to };
      if (expiresAt) patch.expires_at = expiresAt;
      if (outputs) patch.outputs = JSON.stringify(outputs);
      if (secretOutputs)
        patch.secret_outputs = this.secrets.seal(
          id,
          'secret_outputs',
          secretOutputs,
        );
      if (drift !== undefined) patch.drift = drift;
      return { patch, from, to };
    });
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
    return this.change(id, 'extended', change, row => {
      if (row.state !== 'active')
        throw new ConflictError(
          `only an active environment can be extended; this one is ${row.state}`,
        );
      return { patch: { expires_at: expiresAt }, from: 'active', to: 'active' };
    });
  }

  /**
   * One change of an environment, in a transaction: `decide` checks the row and says what to
   * update. The update is made only if the row's version is still the one read (else a
   * ConflictError naming `what` it was being), with the history row and the run to queue. Tells
   * the listeners after the commit.
   */
  private async change(
    id: string,
    what: string,
    change: ChangeContext & { enqueue?: RunKind },
    decide: (row: EnvironmentRow) => {
      patch: Record<string, unknown>;
      from: EnvironmentState;
      to: EnvironmentState;
    },
  ): Promise<EnvironmentRecord> {
    const done = await this.db.transaction(async tx => {
      const row: EnvironmentRow | undefined = await tx('environments')
        .where({ id })
        .first();
      if (!row) throw new NotFoundError(`no environment with id ${id}`);
      const { patch, from, to } = decide(row);
      const now = new Date();
      const n = await tx('environments')
        .where({ id, version: row.version })
        .update({ ...patch, version: row.version + 1, updated_at: now });
      if (n !== 1)
        throw new ConflictError(
          `environment ${id} changed while it was being ${what}`,
        );
      const history = historyRow(id, from, to, change, now);
      await this.history.record(tx, [history]);
      if (change.enqueue) await this.runs.enqueueIn(tx, id, change.enqueue);
      const after = envFromRow(await tx('environments').where({ id }).first());
      return { environment: after, history };
    });
    this.history.notify(done.environment, [done.history]);
    if (change.enqueue) this.runs.notifyQueued();
    return done.environment;
  }

  /** Sets or clears the drift flag of an environment (no state change). */
  async setDrift(id: string, drift: boolean): Promise<void> {
    await this.db('environments')
      .where({ id })
      .update({ drift, updated_at: new Date() });
  }
}
