/*
 * The JSON API of the dora backend (/api/dora). Times are ISO 8601 strings in JSON; durations are
 * hours (numbers).
 */

/** Where a delivery came from: a configured webhook source, or the JSON API for CI systems. */
export type SourceType = 'github' | 'gitlab' | 'gitea' | 'cdevents' | 'api';

/** pending: waiting for normalisation; processed: turned into rows; ignored: not an event DORA uses
 * (the reason says why); failed: normalisation threw, retried with backoff. */
export type DeliveryStatus =
  | 'pending'
  | 'processing'
  | 'processed'
  | 'ignored'
  | 'failed';

export interface Delivery {
  id: number;
  source: string;
  sourceType: SourceType;
  deliveryId: string;
  eventType: string;
  status: DeliveryStatus;
  /** Why it was ignored, or the last error. */
  reason?: string;
  attempts: number;
  receivedAt: string;
  processedAt?: string;
  /** For the JSON API: who sent it (from the Backstage credentials). */
  sender?: string;
}

/** Why a deployment counts as rework. */
export type ReworkReason = 'rollback' | 'revert' | 'hotfix' | 'incident';

/** How a deployment was found to have failed in production. */
export type FailureKind = 'incident' | 'rolled-back';

export interface Deployment {
  id: string;
  /** The component it was attributed to, when the catalog knew the repository or service. */
  componentRef?: string;
  /** The component's owner when the event happened. */
  teamRef?: string;
  /** What the links group by: the component ref, or `repo:<slug>` / `service:<name>` when unattributed. */
  subject: string;
  repo?: string;
  service?: string;
  environment: string;
  production: boolean;
  status: 'success' | 'failure' | 'pending';
  sha?: string;
  deployedAt: string;
  rework?: ReworkReason;
  failure?: FailureKind;
  /** For a rolled-back deployment: when the rollback was deployed. */
  recoveredAt?: string;
  url?: string;
}

export interface Change {
  id: string;
  componentRef?: string;
  teamRef?: string;
  subject: string;
  repo: string;
  sha: string;
  /** Start of the lead time: the commit's time, or for a pull request merge, when the pull request was opened. */
  committedAt: string;
  /** When it reached the default branch (pushed or merged). */
  landedAt: string;
  pullRequest?: number;
  title?: string;
  revert: boolean;
}

export interface Incident {
  id: string;
  componentRef?: string;
  teamRef?: string;
  subject: string;
  title?: string;
  startedAt: string;
  resolvedAt?: string;
  state: 'open' | 'resolved';
  url?: string;
}

/** How a deployment was linked to a change. */
export type ChangeLinkMethod =
  /** The deployment's own sha is this change. */
  | 'deployed-sha'
  /** The change landed on the default branch after the previous production deployment and before this one's sha. */
  | 'between-deployments'
  /** The first production deployment of the subject: changes landed before it (within the look-back). */
  | 'first-deployment'
  /** A pull request's merge commit (merge or squash) that is the deployed sha or landed between deployments. */
  | 'pull-request-merge';

/** How an incident was linked to the deployment that caused it. */
export type IncidentLinkMethod =
  | 'explicit-reference'
  | 'root-cause-sha'
  | 'time-window';

export interface ChangeLink {
  deploymentId: string;
  changeId: string;
  linkedBy: ChangeLinkMethod;
  leadTimeHours: number;
}

export interface IncidentLink {
  incidentId: string;
  deploymentId: string;
  linkedBy: IncidentLinkMethod;
  confidence: 'high' | 'low';
}

export type DoraLevel = 'elite' | 'high' | 'medium' | 'low';
export type Trend = 'improving' | 'worsening' | 'flat';

export type MetricName =
  | 'deploymentFrequency'
  | 'changeLeadTime'
  | 'changeFailureRate'
  | 'failedDeploymentRecoveryTime'
  | 'deploymentReworkRate';

export const METRIC_NAMES: MetricName[] = [
  'deploymentFrequency',
  'changeLeadTime',
  'changeFailureRate',
  'failedDeploymentRecoveryTime',
  'deploymentReworkRate',
];

export interface MetricValue {
  name: MetricName;
  /** The headline number (see `unit`); undefined when there is nothing to compute from. */
  value?: number;
  unit: 'per-day' | 'hours' | 'ratio';
  /** The rows the number was computed from (deployments, changes, or failures). */
  sampleSize: number;
  /** True when sampleSize is below the configured minimum: show "insufficient data", no level. */
  insufficientData: boolean;
  level?: DoraLevel;
  /** The same metric over the same entity's previous window of the same length. */
  previous?: { value?: number; sampleSize: number };
  /** Against the previous window, in the metric's good direction. */
  trend?: Trend;
  /** Extra numbers of this metric, e.g. perWeek, p90, failed, open. */
  details: Record<string, number | string | undefined>;
}

/** The entity metrics are asked for: a component, a group (its team rows), or the whole organisation. */
export type MetricsEntity =
  | { kind: 'component'; ref: string }
  | { kind: 'team'; ref: string }
  | { kind: 'org' };

export interface MetricsResult {
  entity: string;
  windowDays: number;
  from: string;
  to: string;
  benchmark: string;
  metrics: Record<MetricName, MetricValue>;
}

/** One row behind a number. */
export type DrillDownRow =
  | { type: 'deployment'; deployment: Deployment; counted: string[] }
  | {
      type: 'change';
      change: Change;
      deploymentId: string;
      linkedBy: ChangeLinkMethod;
      leadTimeHours: number;
    }
  | {
      type: 'incident';
      incident: Incident;
      links: Omit<IncidentLink, 'incidentId'>[];
      recoveryHours?: number;
    }
  | {
      type: 'rollback';
      deployment: Deployment;
      rolledBackBy?: string;
      recoveryHours: number;
    };

export interface DrillDownResult {
  entity: string;
  metric: MetricName;
  from: string;
  to: string;
  /** One page of the rows (see DoraPage); a change failure rate page adds the incidents of its deployments. */
  rows: DrillDownRow[];
  /** Where the next page starts (offset=...), absent on the last page. */
  nextOffset?: number;
}

export interface TemplateAdoptionRow {
  templateRef: string;
  teamRef?: string;
  runs: number;
  succeeded: number;
}

export interface TimeToFirstDeployRow {
  taskId: string;
  templateRef: string;
  componentRef: string;
  teamRef?: string;
  createdAt: string;
  firstDeploymentId?: string;
  firstDeployedAt?: string;
  hours?: number;
}
