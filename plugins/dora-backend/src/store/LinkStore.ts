import { Knex } from 'knex';
import { numberOf } from './fromRow';
import { rebuildLeadTimeDays } from './leadTimeDays';
import { DeploymentRow, LinkResult, SubjectRows } from './rows';

/**
 * The derived side of a subject (a component, or `repo:<slug>` / `service:<name>` while
 * unattributed): the rows the linker reads, and the links and deployment flags it derives
 * (dora_deployment_changes, dora_incident_deployments, the flags on dora_deployments), with the
 * daily lead times they feed (dora_lead_time_days).
 */
export class LinkStore {
  constructor(private readonly db: Knex) {}

  /** Everything the linker needs about one subject. */
  async loadSubject(subject: string): Promise<SubjectRows> {
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
        pullRequest: numberOf(r.pull_request),
        revert: Boolean(r.revert),
        hotfix: Boolean(r.hotfix),
      })),
      incidents: incidents.map((r: any) => ({
        id: r.id,
        startedAt: Number(r.started_at),
        resolvedAt: numberOf(r.resolved_at),
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
      const changeRows = result.changeLinks.map((l): ChangeLinkRecord => {
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
      await replaceChangeLinks(tx, subject, changeRows);
      await replaceIncidentLinks(
        tx,
        subject,
        result.incidentLinks.map(l => ({
          incident_id: l.incidentId,
          deployment_id: l.deploymentId,
          subject,
          linked_by: l.linkedBy,
          confidence: l.confidence,
        })),
      );
      await replaceFlags(tx, subject, result.flags);
    });
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
      await rebuildLeadTimeDays(tx, links);
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

/** A dora_deployment_changes row as written. */
interface ChangeLinkRecord {
  deployment_id: string;
  change_id: string;
  linked_by: string;
  subject: string;
  component_ref: string | null;
  team_ref: string | null;
  deployed_at: number;
  lead_time_ms: number;
}

/** A dora_incident_deployments row as written. */
interface IncidentLinkRecord {
  incident_id: string;
  deployment_id: string;
  subject: string;
  linked_by: string;
  confidence: string;
}

/** A dora_deployment_changes row as compared: every column that the linker decides. */
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

/** Writes the subject's change links that differ (a change is linked once), then rebuilds the days they touch. */
async function replaceChangeLinks(
  tx: Knex.Transaction,
  subject: string,
  changeRows: ChangeLinkRecord[],
) {
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
    await tx('dora_deployment_changes').insert(freshChanges.slice(i, i + 200));
  await rebuildLeadTimeDays(tx, [...staleChanges, ...freshChanges]);
}

/** Writes the subject's incident links that differ. */
async function replaceIncidentLinks(
  tx: Knex.Transaction,
  subject: string,
  incidentRows: IncidentLinkRecord[],
) {
  const oldIncidents = await tx('dora_incident_deployments')
    .where({ subject })
    .select('incident_id', 'deployment_id', 'linked_by', 'confidence');
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
}

/** Writes the flags of the subject's deployments that changed (none where the linker set none). */
async function replaceFlags(
  tx: Knex.Transaction,
  subject: string,
  flags: LinkResult['flags'],
) {
  const oldFlags = await tx('dora_deployments')
    .where({ subject })
    .select('id', 'rework', 'failure', 'recovered_at', 'rolled_back_by');
  const wanted = new Map(flags.map(f => [f.deploymentId, f]));
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
    if (!same) await tx('dora_deployments').where({ id: old.id }).update(next);
  }
}
