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

/** What a change records in the history besides the states. */
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

export interface ChangeContext {
  actor: string;
  reason?: string;
  decisionId?: string;
}
