import {
  DrillDownRow,
  MetricName,
  MetricsEntity,
} from '@internal/plugin-dora-common';
import { PageQuery } from '../paging';
import { DoraStore } from '../store/DoraStore';
import { TimeRange } from '../store/rows';

const HOUR = 3600_000;

/** One page of a metric's rows, and whether there are more. */
export interface DrillDownPage {
  rows: DrillDownRow[];
  more: boolean;
}

/**
 * The rows behind a metric over a range, one page: deployments, changes or incidents in time
 * order; for recovery time, the incidents and then the rolled-back deployments (one list paged
 * across both); a change failure rate page adds the incidents of its deployments.
 */
export async function drillDown(
  store: DoraStore,
  q: { entity: MetricsEntity; metric: MetricName; range: TimeRange },
  page: PageQuery,
): Promise<DrillDownPage> {
  if (q.metric === 'changeLeadTime') {
    const changes = await store.changes.shipped(q.entity, q.range, page);
    return {
      rows: changes.items.map(c => ({
        type: 'change',
        change: c.change,
        deploymentId: c.deploymentId,
        linkedBy: c.linkedBy,
        leadTimeHours: c.leadTimeMs / HOUR,
      })),
      more: changes.more,
    };
  }
  if (q.metric === 'failedDeploymentRecoveryTime')
    return recoveries(store, q.entity, q.range, page);
  return deployments(store, q.entity, q.metric, q.range, page);
}

async function recoveries(
  store: DoraStore,
  entity: MetricsEntity,
  range: TimeRange,
  page: PageQuery,
): Promise<DrillDownPage> {
  const incidents = await store.incidents.started(entity, range, page);
  const links = await store.incidents.links(
    incidents.items.map(i => i.incident.id),
  );
  const rows: DrillDownRow[] = incidents.items.map(i => ({
    type: 'incident',
    incident: i.incident,
    links: links.get(i.incident.id) ?? [],
    recoveryHours:
      i.resolvedAt === undefined
        ? undefined
        : (i.resolvedAt - i.startedAt) / HOUR,
  }));
  if (incidents.more) return { rows, more: true };
  // the page goes on with the rolled-back deployments, after all the incidents
  const incidentCount = await store.incidents.countStarted(entity, range);
  const rolled = await store.deployments.rolledBack(entity, range, {
    offset: Math.max(0, page.offset - incidentCount),
    limit: page.limit - rows.length,
  });
  rows.push(
    ...rolled.items.map(d => ({
      type: 'rollback' as const,
      deployment: d.deployment,
      rolledBackBy: d.rolledBackBy,
      recoveryHours: (d.recoveredAt - d.deployedAt) / HOUR,
    })),
  );
  return { rows, more: rolled.more };
}

async function deployments(
  store: DoraStore,
  entity: MetricsEntity,
  metric: MetricName,
  range: TimeRange,
  page: PageQuery,
): Promise<DrillDownPage> {
  const counted = await store.deployments.counted(entity, range, page);
  const rows: DrillDownRow[] = counted.items.map(d => {
    const reasons = ['deployment'];
    if (metric === 'changeFailureRate' && d.failure)
      reasons.push(`failed: ${d.failure}`);
    if (metric === 'deploymentReworkRate' && d.rework)
      reasons.push(`rework: ${d.rework}`);
    return { type: 'deployment', deployment: d, counted: reasons };
  });
  if (metric === 'changeFailureRate') {
    const incidents = await store.incidents.ofDeployments(
      counted.items.filter(d => d.failure === 'incident').map(d => d.id),
    );
    const links = await store.incidents.links(incidents.map(i => i.id));
    rows.push(
      ...incidents.map(i => ({
        type: 'incident' as const,
        incident: i,
        links: links.get(i.id) ?? [],
      })),
    );
  }
  return { rows, more: counted.more };
}
