import { Deployment, MetricsEntity } from '@internal/plugin-dora-common';
import { Knex } from 'knex';
import { DeploymentEvent } from '../ingest/events';
import { PageQuery } from '../paging';
import { deploymentFromRow } from './fromRow';
import { Attributed, Paged, TimeRange } from './rows';
import { scoped } from './scope';

/** A rolled-back deployment: the deployment, which one rolled it back, and when (epoch ms). */
export interface RolledBackDeployment {
  deployment: Deployment;
  rolledBackBy?: string;
  deployedAt: number;
  recoveredAt: number;
}

/**
 * dora_deployments: deployments as the sources report them (one row a deployment, its outcome
 * moving forward), and the counted (successful production) ones an entity had in a time range.
 */
export class DeploymentStore {
  constructor(private readonly db: Knex) {}

  /**
   * Upserts a deployment. The outcome only moves forward: a late "pending" (the deployment event
   * arriving after its status) never overwrites success or failure; the time is the outcome's.
   * Returns the subject the deployment belongs to.
   */
  async upsert(
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

  /** The entity's counted deployments in the range, in time order, one page. */
  async counted(
    entity: MetricsEntity,
    range: TimeRange,
    page: PageQuery,
  ): Promise<Paged<Deployment>> {
    const rows = await scoped(this.db('dora_deployments'), entity)
      .where({ counted: true })
      .where('deployed_at', '>=', range.from)
      .where('deployed_at', '<', range.to)
      .orderBy([{ column: 'deployed_at' }, { column: 'id' }])
      .limit(page.limit + 1)
      .offset(page.offset);
    return {
      items: rows.slice(0, page.limit).map(deploymentFromRow),
      more: rows.length > page.limit,
    };
  }

  /** The entity's counted deployments in the range that were rolled back, in time order, one page. */
  async rolledBack(
    entity: MetricsEntity,
    range: TimeRange,
    page: PageQuery,
  ): Promise<Paged<RolledBackDeployment>> {
    const rows = await scoped(this.db('dora_deployments'), entity)
      .where({ counted: true, failure: 'rolled-back' })
      .where('deployed_at', '>=', range.from)
      .where('deployed_at', '<', range.to)
      .orderBy([{ column: 'deployed_at' }, { column: 'id' }])
      .limit(page.limit + 1)
      .offset(page.offset);
    return {
      items: rows.slice(0, page.limit).map((d: any) => ({
        deployment: deploymentFromRow(d),
        rolledBackBy: d.rolled_back_by ?? undefined,
        deployedAt: Number(d.deployed_at),
        recoveredAt: Number(d.recovered_at),
      })),
      more: rows.length > page.limit,
    };
  }
}
