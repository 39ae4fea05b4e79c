import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Change, Deployment, Incident } from '@internal/plugin-dora-common';
import { Knex } from 'knex';
import { ChangeEvent, DeploymentEvent, IncidentEvent } from '../ingest/events';
import { LinkResult } from '../linking/link';
import { DeliveryQueue } from './DeliveryQueue';

const migrationsDir = resolvePackagePath(
  '@internal/plugin-dora-backend',
  'migrations',
);

/**
 * A day's sorted lead times as stored: base64 of big-endian int32 whole seconds (PostgreSQL's
 * int4send order; decoded without parsing). Four bytes a lead time, half of float64 milliseconds,
 * because reading a window's days is mostly moving these bytes; lead times are kept to the second
 * here (the links keep milliseconds), and clamped to ±68 years.
 */
export function encodeLeadTimes(valuesMs: number[]): string {
  const buf = Buffer.alloc(valuesMs.length * 4);
  valuesMs.forEach((v, i) =>
    buf.writeInt32BE(
      Math.max(-0x80000000, Math.min(0x7fffffff, Math.round(v / 1000))),
      i * 4,
    ),
  );
  return buf.toString('base64');
}

/** The lead times of encodeLeadTimes (or of several concatenated), in milliseconds. */
export function decodeLeadTimes(text: string): Float64Array {
  const buf = Buffer.from(text, 'base64');
  const seconds = new Int32Array(buf.length / 4);
  new Uint8Array(seconds.buffer).set(buf);
  // to the machine's order (little-endian on every platform Node runs the portal on)
  if (new Uint8Array(new Int32Array([1]).buffer)[0] === 1)
    Buffer.from(seconds.buffer).swap32();
  const out = new Float64Array(seconds.length);
  for (let i = 0; i < seconds.length; i++) out[i] = seconds[i] * 1000;
  return out;
}

/** One UTC day in ms: the unit of dora_lead_time_days. */
export const DAY_MS = 24 * 3600_000;

const iso = (v: unknown) =>
  v === null || v === undefined ? undefined : new Date(Number(v)).toISOString();
const num = (v: unknown) =>
  v === null || v === undefined ? undefined : Number(v);

/** Who an event belongs to, decided by attribution when it was processed. */
export interface Attributed {
  subject: string;
  componentRef?: string;
  teamRef?: string;
}

/** Stored rows, with times in epoch ms, as the linker and the metrics read them. */
export interface DeploymentRow {
  id: string;
  subject: string;
  componentRef?: string;
  teamRef?: string;
  production: boolean;
  status: string;
  counted: boolean;
  sha?: string;
  ref?: string;
  description?: string;
  deployedAt: number;
  rollback: boolean;
  incidentRef?: string;
}

export interface ChangeRow {
  id: string;
  sha: string;
  committedAt: number;
  landedAt: number;
  pullRequest?: number;
  revert: boolean;
  hotfix: boolean;
}

export interface IncidentRow {
  id: string;
  startedAt: number;
  resolvedAt?: number;
  deploymentRef?: string;
  rootCauseSha?: string;
}

export function deploymentFromRow(r: any): Deployment {
  return {
    id: r.id,
    componentRef: r.component_ref ?? undefined,
    teamRef: r.team_ref ?? undefined,
    subject: r.subject,
    repo: r.repo ?? undefined,
    service: r.service ?? undefined,
    environment: r.environment,
    production: Boolean(r.production),
    status: r.status,
    sha: r.sha ?? undefined,
    deployedAt: iso(r.deployed_at)!,
    rework: r.rework ?? undefined,
    failure: r.failure ?? undefined,
    recoveredAt: iso(r.recovered_at),
    url: r.url ?? undefined,
  };
}

export function changeFromRow(r: any): Change {
  return {
    id: r.id,
    componentRef: r.component_ref ?? undefined,
    teamRef: r.team_ref ?? undefined,
    subject: r.subject,
    repo: r.repo,
    sha: r.sha,
    committedAt: iso(r.committed_at)!,
    landedAt: iso(r.landed_at)!,
    pullRequest: num(r.pull_request),
    title: r.title ?? undefined,
    revert: Boolean(r.revert),
  };
}

export function incidentFromRow(r: any): Incident {
  return {
    id: r.id,
    componentRef: r.component_ref ?? undefined,
    teamRef: r.team_ref ?? undefined,
    subject: r.subject,
    title: r.title ?? undefined,
    startedAt: iso(r.started_at)!,
    resolvedAt: iso(r.resolved_at),
    state:
      r.resolved_at === null || r.resolved_at === undefined
        ? 'open'
        : 'resolved',
    url: r.url ?? undefined,
  };
}

/**
 * The dora plugin's store: the normalised rows and their derived links, and the delivery queue
 * (DeliveryQueue) as `deliveries`.
 * Works on PostgreSQL and SQLite.
 */
export class DoraStore {
  static async create(knex: Knex, options: { skipMigrations?: boolean } = {}) {
    if (!options.skipMigrations) {
      await knex.migrate.latest({ directory: migrationsDir });
    }
    return new DoraStore(knex);
  }

  /** The delivery queue, on the same database. */
  readonly deliveries: DeliveryQueue;

  private constructor(readonly db: Knex) {
    this.deliveries = new DeliveryQueue(db);
  }

  get isPostgres() {
    return this.db.client.config.client === 'pg';
  }

  // ---------------------------------------------------------------------------------------------
  // Normalised rows

  /**
   * Upserts a deployment. The outcome only moves forward: a late "pending" (the deployment event
   * arriving after its status) never overwrites success or failure; the time is the outcome's.
   */
  async upsertDeployment(
    tx: Knex.Transaction,
    id: string,
    e: DeploymentEvent,
    who: Attributed,
    production: boolean,
    deliveryRowId: number,
  ): Promise<string> {
    const existing = await tx('dora_deployments').where({ id }).first();
    const decided = existing && existing.status !== 'pending';
    const status =
      decided && e.status === 'pending' ? existing.status : e.status;
    const deployedAt =
      decided && e.status === 'pending' ? Number(existing.deployed_at) : e.at;
    // attribution is decided by the first event of a deployment and kept (its links live under its subject)
    const row = {
      id,
      subject: existing?.subject ?? who.subject,
      component_ref: existing
        ? existing.component_ref ?? null
        : who.componentRef ?? null,
      team_ref: existing ? existing.team_ref ?? null : who.teamRef ?? null,
      repo: e.repo ?? existing?.repo ?? null,
      service: e.service ?? existing?.service ?? null,
      environment: e.environment,
      production,
      status,
      counted: production && status === 'success',
      sha: e.sha ?? existing?.sha ?? null,
      ref: e.ref ?? existing?.ref ?? null,
      description: e.description ?? existing?.description ?? null,
      url: e.url ?? existing?.url ?? null,
      deployed_at: deployedAt,
      incident_ref: e.incidentRef ?? existing?.incident_ref ?? null,
      rollback: Boolean(e.rollback) || Boolean(existing?.rollback),
      delivery_id: deliveryRowId,
    };
    if (existing) await tx('dora_deployments').where({ id }).update(row);
    else await tx('dora_deployments').insert(row);
    return row.subject;
  }

  /** Upserts a change: the earliest commit and landing times seen win (a squash commit's push and its pull request's merge are one change). */
  async upsertChange(
    tx: Knex.Transaction,
    e: ChangeEvent,
    who: Attributed,
    flags: { revert: boolean; hotfix: boolean },
  ): Promise<string> {
    const id = `${e.repo}@${e.sha}`;
    const existing = await tx('dora_changes').where({ id }).first();
    if (!existing) {
      await tx('dora_changes').insert({
        id,
        subject: who.subject,
        component_ref: who.componentRef ?? null,
        team_ref: who.teamRef ?? null,
        repo: e.repo,
        sha: e.sha,
        committed_at: e.committedAt,
        landed_at: e.landedAt,
        pull_request: e.pullRequest ?? null,
        title: e.title ?? null,
        revert: flags.revert,
        hotfix: flags.hotfix,
      });
      return who.subject;
    }
    await tx('dora_changes')
      .where({ id })
      .update({
        committed_at: Math.min(Number(existing.committed_at), e.committedAt),
        landed_at: Math.min(Number(existing.landed_at), e.landedAt),
        pull_request: existing.pull_request ?? e.pullRequest ?? null,
        title: e.pullRequest
          ? e.title ?? existing.title
          : existing.title ?? e.title ?? null,
        revert: Boolean(existing.revert) || flags.revert,
        hotfix: Boolean(existing.hotfix) || flags.hotfix,
      });
    return existing.subject;
  }

  /** Upserts an incident: the earliest start seen wins; resolved_at follows the latest event that says. */
  async upsertIncident(
    tx: Knex.Transaction,
    id: string,
    e: IncidentEvent,
    who: Attributed,
  ): Promise<string> {
    const existing = await tx('dora_incidents').where({ id }).first();
    const row = {
      id,
      subject: existing?.subject ?? who.subject,
      component_ref: existing
        ? existing.component_ref ?? null
        : who.componentRef ?? null,
      team_ref: existing ? existing.team_ref ?? null : who.teamRef ?? null,
      title: e.title ?? existing?.title ?? null,
      started_at: existing
        ? Math.min(Number(existing.started_at), e.startedAt)
        : e.startedAt,
      resolved_at:
        e.resolvedAt === undefined
          ? existing?.resolved_at ?? null
          : e.resolvedAt,
      deployment_ref: e.deploymentRef ?? existing?.deployment_ref ?? null,
      root_cause_sha: e.rootCauseSha ?? existing?.root_cause_sha ?? null,
      url: e.url ?? existing?.url ?? null,
    };
    if (existing) await tx('dora_incidents').where({ id }).update(row);
    else await tx('dora_incidents').insert(row);
    return row.subject;
  }

  // ---------------------------------------------------------------------------------------------
  // Linking

  /** Everything the linker needs about one subject. */
  async loadSubject(
    subject: string,
  ): Promise<{
    deployments: DeploymentRow[];
    changes: ChangeRow[];
    incidents: IncidentRow[];
  }> {
    const [deployments, changes, incidents] = await Promise.all([
      this.db('dora_deployments')
        .where({ subject })
        .orderBy([{ column: 'deployed_at' }, { column: 'id' }]),
      this.db('dora_changes')
        .where({ subject })
        .orderBy([{ column: 'landed_at' }, { column: 'id' }]),
      this.db('dora_incidents').where({ subject }).orderBy('started_at'),
    ]);
    return {
      deployments: deployments.map((r: any) => ({
        id: r.id,
        subject: r.subject,
        componentRef: r.component_ref ?? undefined,
        teamRef: r.team_ref ?? undefined,
        production: Boolean(r.production),
        status: r.status,
        counted: Boolean(r.counted),
        sha: r.sha ?? undefined,
        ref: r.ref ?? undefined,
        description: r.description ?? undefined,
        deployedAt: Number(r.deployed_at),
        rollback: Boolean(r.rollback),
        incidentRef: r.incident_ref ?? undefined,
      })),
      changes: changes.map((r: any) => ({
        id: r.id,
        sha: r.sha,
        committedAt: Number(r.committed_at),
        landedAt: Number(r.landed_at),
        pullRequest: num(r.pull_request),
        revert: Boolean(r.revert),
        hotfix: Boolean(r.hotfix),
      })),
      incidents: incidents.map((r: any) => ({
        id: r.id,
        startedAt: Number(r.started_at),
        resolvedAt: num(r.resolved_at),
        deploymentRef: r.deployment_ref ?? undefined,
        rootCauseSha: r.root_cause_sha ?? undefined,
      })),
    };
  }

  /**
   * Makes a subject's derived links and deployment flags equal to the linker's result, in one
   * transaction. The linker recomputes the whole subject; only the differences are written, so a
   * batch that adds one deployment to a long history writes a handful of rows.
   */
  async replaceLinks(
    subject: string,
    deployments: DeploymentRow[],
    result: LinkResult,
  ) {
    const byId = new Map(deployments.map(d => [d.id, d]));
    await this.db.transaction(async tx => {
      const oldChanges = await tx('dora_deployment_changes')
        .where({ subject })
        .select(
          'deployment_id',
          'change_id',
          'linked_by',
          'lead_time_ms',
          'deployed_at',
          'team_ref',
          'component_ref',
        );
      const oldIncidents = await tx('dora_incident_deployments')
        .where({ subject })
        .select('incident_id', 'deployment_id', 'linked_by', 'confidence');
      const oldFlags = await tx('dora_deployments')
        .where({ subject })
        .select('id', 'rework', 'failure', 'recovered_at', 'rolled_back_by');

      const changeRows = result.changeLinks.map(l => {
        const d = byId.get(l.deploymentId)!;
        return {
          deployment_id: l.deploymentId,
          change_id: l.changeId,
          linked_by: l.linkedBy,
          subject,
          component_ref: d.componentRef ?? null,
          team_ref: d.teamRef ?? null,
          deployed_at: d.deployedAt,
          lead_time_ms: l.leadTimeMs,
        };
      });
      const changeKey = (r: any) =>
        [
          r.deployment_id,
          r.change_id,
          r.linked_by,
          Number(r.lead_time_ms),
          Number(r.deployed_at),
          r.team_ref ?? '',
          r.component_ref ?? '',
        ].join('|');
      const oldChangeKeys = new Map(
        oldChanges.map((r: any) => [r.change_id, changeKey(r)]),
      );
      const newChangeKeys = new Map(
        changeRows.map(r => [r.change_id, changeKey(r)]),
      );
      const staleChanges = oldChanges.filter(
        (r: any) => newChangeKeys.get(r.change_id) !== changeKey(r),
      );
      const freshChanges = changeRows.filter(
        r => oldChangeKeys.get(r.change_id) !== changeKey(r),
      );
      for (let i = 0; i < staleChanges.length; i += 500) {
        await tx('dora_deployment_changes')
          .whereIn(
            'change_id',
            staleChanges.slice(i, i + 500).map((r: any) => r.change_id),
          )
          .delete();
      }
      for (let i = 0; i < freshChanges.length; i += 200)
        await tx('dora_deployment_changes').insert(
          freshChanges.slice(i, i + 200),
        );
      await this.rebuildLeadTimeDays(tx, [...staleChanges, ...freshChanges]);

      const incidentRows = result.incidentLinks.map(l => ({
        incident_id: l.incidentId,
        deployment_id: l.deploymentId,
        subject,
        linked_by: l.linkedBy,
        confidence: l.confidence,
      }));
      const incidentKey = (r: any) =>
        [r.incident_id, r.deployment_id, r.linked_by, r.confidence].join('|');
      const oldIncidentKeys = new Set(oldIncidents.map(incidentKey));
      const newIncidentKeys = new Set(incidentRows.map(incidentKey));
      for (const r of oldIncidents.filter(
        (x: any) => !newIncidentKeys.has(incidentKey(x)),
      )) {
        await tx('dora_incident_deployments')
          .where({ incident_id: r.incident_id, deployment_id: r.deployment_id })
          .delete();
      }
      const freshIncidents = incidentRows.filter(
        r => !oldIncidentKeys.has(incidentKey(r)),
      );
      for (let i = 0; i < freshIncidents.length; i += 200)
        await tx('dora_incident_deployments').insert(
          freshIncidents.slice(i, i + 200),
        );

      const wanted = new Map(result.flags.map(f => [f.deploymentId, f]));
      for (const old of oldFlags) {
        const f = wanted.get(old.id);
        const next = {
          rework: f?.rework ?? null,
          failure: f?.failure ?? null,
          recovered_at: f?.recoveredAt ?? null,
          rolled_back_by: f?.rolledBackBy ?? null,
        };
        const same =
          (old.rework ?? null) === next.rework &&
          (old.failure ?? null) === next.failure &&
          (old.recovered_at === null || old.recovered_at === undefined
            ? null
            : Number(old.recovered_at)) === next.recovered_at &&
          (old.rolled_back_by ?? null) === next.rolled_back_by;
        if (!same)
          await tx('dora_deployments').where({ id: old.id }).update(next);
      }
    });
  }

  /**
   * Rebuilds dora_lead_time_days for the (scope, day) pairs the given link rows fall in, from the
   * links as they are now in this transaction. On PostgreSQL each pair is locked first (in a fixed
   * order), so two replicas relinking different components never leave a day's org total without
   * the other's links.
   */
  private async rebuildLeadTimeDays(
    tx: Knex.Transaction,
    links: {
      deployed_at: unknown;
      team_ref?: string | null;
      component_ref?: string | null;
    }[],
  ) {
    const keys = new Map<string, { scope: string; day: number }>();
    for (const l of links) {
      const day = Math.floor(Number(l.deployed_at) / DAY_MS);
      const scopes = ['org'];
      if (l.team_ref) scopes.push(`team:${l.team_ref}`);
      if (l.component_ref) scopes.push(`component:${l.component_ref}`);
      for (const scope of scopes)
        keys.set(`${scope}\u0000${day}`, { scope, day });
    }
    const sorted = [...keys.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, v]) => v);
    for (const { scope, day } of sorted) {
      if (this.isPostgres)
        await tx.raw('select pg_advisory_xact_lock(hashtext(?))', [
          `dora_lead_time_days:${scope}:${day}`,
        ]);
      const q = tx('dora_deployment_changes')
        .where('deployed_at', '>=', day * DAY_MS)
        .where('deployed_at', '<', (day + 1) * DAY_MS)
        .orderBy('lead_time_ms')
        .pluck('lead_time_ms');
      if (scope.startsWith('team:')) q.where('team_ref', scope.slice(5));
      else if (scope.startsWith('component:'))
        q.where('component_ref', scope.slice(10));
      const values = (await q).map(Number);
      await tx('dora_lead_time_days').where({ scope, day }).delete();
      if (values.length)
        await tx('dora_lead_time_days').insert({
          scope,
          day,
          n: values.length,
          lead_times_s: encodeLeadTimes(values),
        });
    }
  }

  /** Subjects of rows that no component claimed when they arrived (`repo:<slug>`, `service:<name>`). */
  async unattributedSubjects(): Promise<string[]> {
    const rows = await this.db
      .select('subject')
      .from('dora_deployments')
      .whereNull('component_ref')
      .union(q =>
        q.select('subject').from('dora_changes').whereNull('component_ref'),
      )
      .union(q =>
        q.select('subject').from('dora_incidents').whereNull('component_ref'),
      );
    return [...new Set(rows.map((r: any) => r.subject as string))].filter(
      s => s.startsWith('repo:') || s.startsWith('service:'),
    );
  }

  /**
   * Moves an unattributed subject's rows to a component found later (the catalog learned the
   * repository after its first events), with the component's owner now as their team. The old
   * subject's links go (and their daily lead times); the caller re-links the component.
   */
  async moveSubject(
    from: string,
    to: { subject: string; componentRef: string; teamRef?: string },
  ) {
    await this.db.transaction(async tx => {
      const links = await tx('dora_deployment_changes')
        .where({ subject: from })
        .select('deployed_at', 'team_ref', 'component_ref');
      await tx('dora_deployment_changes').where({ subject: from }).delete();
      await tx('dora_incident_deployments').where({ subject: from }).delete();
      await this.rebuildLeadTimeDays(tx, links);
      const patch = {
        subject: to.subject,
        component_ref: to.componentRef,
        team_ref: to.teamRef ?? null,
      };
      await tx('dora_deployments')
        .where({ subject: from })
        .update({
          ...patch,
          rework: null,
          failure: null,
          recovered_at: null,
          rolled_back_by: null,
        });
      await tx('dora_changes').where({ subject: from }).update(patch);
      await tx('dora_incidents').where({ subject: from }).update(patch);
    });
  }
}
