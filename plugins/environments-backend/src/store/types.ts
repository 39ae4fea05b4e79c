import { EnvironmentState } from '@internal/plugin-environments-common';

/** A sandbox environment as stored. */
export interface EnvironmentRecord {
  id: string;
  name: string;
  blueprint: string;
  owner: string;
  requestedBy: string;
  size: string;
  variables: Record<string, string | number | boolean>;
  costPerHour: number;
  ttlHours: number;
  expiresAt?: Date;
  state: EnvironmentState;
  drift: boolean;
  outputs?: Record<string, unknown>;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** One state change, as the UI's history shows it: who, when, from which state to which, and why. */
export interface HistoryRecord {
  environmentId: string;
  from?: EnvironmentState;
  to: EnvironmentState;
  actor: string;
  reason?: string;
  decisionId?: string;
  at: Date;
}

export type RunKind = 'apply' | 'destroy' | 'refresh';
export type RunState = 'queued' | 'running' | 'succeeded' | 'failed';

export interface RunRecord {
  id: string;
  environmentId: string;
  kind: RunKind;
  state: RunState;
  attempt: number;
  claimedBy?: string;
  heartbeatAt?: Date;
  notBefore: Date;
  error?: string;
  createdAt: Date;
  startedAt?: Date;
  finishedAt?: Date;
}

export interface RunLogEntry {
  seq: number;
  level: 'info' | 'warn' | 'error';
  message: string;
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
