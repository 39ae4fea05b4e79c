import {
  ChangeLinkMethod,
  FailureKind,
  IncidentLinkMethod,
  ReworkReason,
  SourceType,
} from '@internal/plugin-dora-common';

/*
 * The shapes the stores take and return, apart from the stores themselves: the linker, the
 * attribution, the metrics and the delivery queue's PostgreSQL insert import these without importing
 * a store (and a store without importing them back).
 */

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

/** One subject's rows, everything the linker reads. */
export interface SubjectRows {
  deployments: DeploymentRow[];
  changes: ChangeRow[];
  incidents: IncidentRow[];
}

/** What the linker derives from one subject's rows: the links and the deployments' flags. */
export interface LinkResult {
  changeLinks: {
    deploymentId: string;
    changeId: string;
    linkedBy: ChangeLinkMethod;
    leadTimeMs: number;
  }[];
  incidentLinks: {
    incidentId: string;
    deploymentId: string;
    linkedBy: IncidentLinkMethod;
    confidence: 'high' | 'low';
  }[];
  /** Derived flags of the subject's deployments (only those with something set). */
  flags: {
    deploymentId: string;
    rework?: ReworkReason;
    failure?: FailureKind;
    recoveredAt?: number;
    rolledBackBy?: string;
  }[];
}

/** A delivery as received, before it is stored. */
export interface NewDelivery {
  source: string;
  sourceType: SourceType;
  deliveryId: string;
  eventType: string;
  payload: string;
  headers?: Record<string, string>;
  sender?: string;
  receivedAt: number;
}

/** A delivery handed to the normaliser. */
export interface ClaimedDelivery extends NewDelivery {
  id: number;
  attempts: number;
}

/** The row an INSERT of deliveries returns for each delivery it wrote (not for duplicates). */
export interface InsertedDelivery {
  id: string | number;
  source: string;
  delivery_id: string;
}

/** One scaffolder task as the dora plugin keeps it. */
export interface TemplateRun {
  taskId: string;
  templateRef: string;
  createdBy?: string;
  teamRef?: string;
  status: string;
  componentRef?: string;
  createdAt: number;
}

/** One page of a store's rows, and whether there are more after it. */
export interface Paged<T> {
  items: T[];
  more: boolean;
}

/** A time range [from, to) in epoch ms. */
export interface TimeRange {
  from: number;
  to: number;
}
