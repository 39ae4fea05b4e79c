import {
  Incident,
  IncidentLink,
  MetricsEntity,
} from '@internal/plugin-dora-common';
import { Knex } from 'knex';
import { IncidentEvent } from '../ingest/events';
import { PageQuery } from '../paging';
import { incidentFromRow } from './fromRow';
import { Attributed, Paged, TimeRange } from './rows';
import { scoped } from './scope';

/** An incident with its start and resolution as epoch ms. */
export interface StoredIncident {
  incident: Incident;
  startedAt: number;
  resolvedAt?: number;
}

/**
 * dora_incidents: incidents as the sources report them, the ones an entity had in a time range,
 * and the deployments each is linked to (dora_incident_deployments).
 */
export class IncidentStore {
  constructor(private readonly db: Knex) {}

  /**
   * Upserts an incident: the earliest start seen wins; resolved_at follows the latest event that
   * says. Returns the subject the incident belongs to.
   */
  async upsert(
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

  private startedIn(entity: MetricsEntity, range: TimeRange) {
    return scoped(this.db('dora_incidents'), entity)
      .where('started_at', '>=', range.from)
      .where('started_at', '<', range.to);
  }

  /** The entity's incidents that started in the range, in time order, one page. */
  async started(
    entity: MetricsEntity,
    range: TimeRange,
    page: PageQuery,
  ): Promise<Paged<StoredIncident>> {
    const rows = await this.startedIn(entity, range)
      .orderBy([{ column: 'started_at' }, { column: 'id' }])
      .limit(page.limit + 1)
      .offset(page.offset);
    return {
      items: rows.slice(0, page.limit).map((i: any) => ({
        incident: incidentFromRow(i),
        startedAt: Number(i.started_at),
        resolvedAt:
          i.resolved_at === null || i.resolved_at === undefined
            ? undefined
            : Number(i.resolved_at),
      })),
      more: rows.length > page.limit,
    };
  }

  /** How many of the entity's incidents started in the range. */
  async countStarted(entity: MetricsEntity, range: TimeRange) {
    const [{ n }] = await this.startedIn(entity, range).count({ n: '*' });
    return Number(n);
  }

  /** The incidents linked to any of the deployments, each once. */
  async ofDeployments(deploymentIds: string[]): Promise<Incident[]> {
    if (!deploymentIds.length) return [];
    const linked = await this.db('dora_incident_deployments as l')
      .join('dora_incidents as i', 'i.id', 'l.incident_id')
      .whereIn('l.deployment_id', deploymentIds)
      .select('i.*');
    return [...new Map(linked.map((i: any) => [i.id, i])).values()].map(
      incidentFromRow,
    );
  }

  /** The deployments each incident is linked to, with how and how surely. */
  async links(
    incidentIds: string[],
  ): Promise<Map<string, Omit<IncidentLink, 'incidentId'>[]>> {
    const map = new Map<string, Omit<IncidentLink, 'incidentId'>[]>();
    for (let i = 0; i < incidentIds.length; i += 500) {
      const rows = await this.db('dora_incident_deployments').whereIn(
        'incident_id',
        incidentIds.slice(i, i + 500),
      );
      for (const r of rows) {
        const list = map.get(r.incident_id) ?? [];
        list.push({
          deploymentId: r.deployment_id,
          linkedBy: r.linked_by,
          confidence: r.confidence,
        });
        map.set(r.incident_id, list);
      }
    }
    return map;
  }
}
