import {
  Change,
  ChangeLinkMethod,
  Deployment,
  DrillDownRow,
  Incident,
  IncidentLink,
  IncidentLinkMethod,
  MetricName,
} from '@internal/plugin-dora-common';
import { RowKind } from './metricInfo';

export interface DrillDownGroups {
  deployments: Array<{ deployment: Deployment; counted: string[] }>;
  changes: Array<{
    change: Change;
    deploymentId: string;
    linkedBy: ChangeLinkMethod;
    leadTimeHours: number;
  }>;
  incidents: Array<{
    incident: Incident;
    links: Omit<IncidentLink, 'incidentId'>[];
    recoveryHours?: number;
  }>;
  rollbacks: Array<{
    deployment: Deployment;
    rolledBackBy?: string;
    recoveryHours: number;
  }>;
}

/** The rows behind a number, by kind, in the order the API gave them. */
export function groupRows(rows: DrillDownRow[]): DrillDownGroups {
  const g: DrillDownGroups = {
    deployments: [],
    changes: [],
    incidents: [],
    rollbacks: [],
  };
  for (const row of rows) {
    if (row.type === 'deployment')
      g.deployments.push({ deployment: row.deployment, counted: row.counted });
    else if (row.type === 'change')
      g.changes.push({
        change: row.change,
        deploymentId: row.deploymentId,
        linkedBy: row.linkedBy,
        leadTimeHours: row.leadTimeHours,
      });
    else if (row.type === 'incident')
      g.incidents.push({
        incident: row.incident,
        links: row.links,
        recoveryHours: row.recoveryHours,
      });
    else if (row.type === 'rollback')
      g.rollbacks.push({
        deployment: row.deployment,
        rolledBackBy: row.rolledBackBy,
        recoveryHours: row.recoveryHours,
      });
  }
  return g;
}

/** Which tables a metric's drill-down shows, first the one its number counts. */
export function tablesFor(metric: MetricName): RowKind[] {
  switch (metric) {
    case 'changeLeadTime':
      return ['change'];
    case 'failedDeploymentRecoveryTime':
      return ['incident', 'rollback'];
    case 'changeFailureRate':
      return ['deployment', 'incident'];
    default:
      return ['deployment'];
  }
}

const CHANGE_LINKS: Record<ChangeLinkMethod, string> = {
  'deployed-sha': 'deployed sha',
  'between-deployments': 'landed between deployments',
  'first-deployment': 'before the first deployment',
  'pull-request-merge': 'pull request merge',
};

const INCIDENT_LINKS: Record<IncidentLinkMethod, string> = {
  'explicit-reference': 'explicit reference',
  'root-cause-sha': 'root-cause sha',
  'time-window': 'time window (guess)',
};

export function changeLinkLabel(method: ChangeLinkMethod): string {
  return CHANGE_LINKS[method] ?? method;
}

export function incidentLinkLabel(
  link: Pick<IncidentLink, 'linkedBy' | 'confidence'>,
): string {
  return `${INCIDENT_LINKS[link.linkedBy] ?? link.linkedBy}, ${
    link.confidence
  } confidence`;
}

/** The tags of a deployment row: what it counted as, plus rework and failure. */
export function deploymentTags(row: {
  deployment: Deployment;
  counted: string[];
}): string[] {
  const tags = new Set(row.counted.filter(c => c !== 'deployment'));
  const d = row.deployment;
  if (d.rework && ![...tags].some(t => t.startsWith('rework')))
    tags.add(`rework: ${d.rework}`);
  if (d.failure && ![...tags].some(t => t.startsWith('failed')))
    tags.add(`failed: ${d.failure}`);
  return [...tags];
}
