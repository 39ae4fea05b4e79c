import {
  Environment,
  EnvironmentState,
  HistoryEntry,
  LogLine,
  Run,
} from '@internal/plugin-environments-common';

export type { RunKind, RunState } from '@internal/plugin-environments-common';

/*
 * The records the store hands out are the REST API's wire types (their fields are listed once, in
 * @internal/plugin-environments-common) with their dates as Date; JSON makes them strings again.
 */

/** A sandbox environment as stored. */
export interface EnvironmentRecord
  extends Omit<Environment, 'expiresAt' | 'createdAt' | 'updatedAt'> {
  expiresAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

/** One state change, as the UI's history shows it: who, when, from which state to which, and why. */
export interface HistoryRecord extends Omit<HistoryEntry, 'at'> {
  at: Date;
}

export interface RunRecord
  extends Omit<
    Run,
    'heartbeatAt' | 'notBefore' | 'createdAt' | 'startedAt' | 'finishedAt'
  > {
  heartbeatAt?: Date;
  notBefore: Date;
  createdAt: Date;
  startedAt?: Date;
  finishedAt?: Date;
}

export interface RunLogEntry extends Omit<LogLine, 'at'> {
  at: Date;
}

/** One committed state change of an environment, as its stored history row records it. */
export interface StateChange {
  environment: EnvironmentRecord;
  /** null for the first row (the request itself) */
  from: EnvironmentState | null;
  to: EnvironmentState;
  actor: string;
  reason?: string;
  decisionId?: string;
  at: Date;
}

/** What a change records in the history besides the states. */
export interface ChangeContext {
  actor: string;
  reason?: string;
  decisionId?: string;
}

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

/** A team's environments that may hold resources: how many, and what they cost a day. */
export interface TeamUsage {
  count: number;
  costPerDay: number;
}

/** Which environments a list holds; every given condition must match. */
export interface EnvironmentFilter {
  owners?: string[];
  requestedBy?: string;
  states?: EnvironmentState[];
}

/** What a transition changes besides the state. */
export interface TransitionPatch {
  expiresAt?: Date;
  outputs?: Record<string, unknown>;
  secretOutputs?: Record<string, unknown>;
  drift?: boolean;
}
