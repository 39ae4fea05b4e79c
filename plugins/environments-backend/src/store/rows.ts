import { EnvironmentState } from '@internal/plugin-environments-common';
import {
  EnvironmentRecord,
  HistoryRecord,
  RunKind,
  RunLogEntry,
  RunRecord,
  RunState,
  StateChange,
} from './types';

/*
 * The tables' rows as the drivers return them (PostgreSQL and SQLite differ: dates are Date or
 * text or a number, booleans true or 1, floats a number or text), and the mappers to the records
 * the rest of the plugin sees. Only the store reads these.
 */

type DbDate = Date | string | number;

/** A row of `environments`. */
export interface EnvironmentRow {
  id: string;
  name: string;
  blueprint: string;
  owner: string;
  requested_by: string;
  size: string;
  /** JSON */
  variables: string;
  cost_per_hour: number | string;
  ttl_hours: number;
  expires_at?: DbDate | null;
  state: EnvironmentState;
  drift: boolean | number;
  /** JSON */
  outputs?: string | null;
  /** encrypted JSON */
  secret_outputs?: string | null;
  /** encrypted JSON */
  generated_secrets?: string | null;
  reminded_for?: DbDate | null;
  version: number;
  created_at: DbDate;
  updated_at: DbDate;
}

/** A row of `environment_history` (id is absent before the insert). */
export interface HistoryRow {
  id?: number | string;
  environment_id: string;
  from_state: EnvironmentState | null;
  to_state: EnvironmentState;
  actor: string;
  reason?: string | null;
  decision_id?: string | null;
  at: DbDate;
}

/** A row of `runs`. */
export interface RunRow {
  id: string;
  environment_id: string;
  kind: RunKind;
  state: RunState;
  attempt: number;
  claimed_by?: string | null;
  heartbeat_at?: DbDate | null;
  not_before: DbDate;
  error?: string | null;
  created_at: DbDate;
  started_at?: DbDate | null;
  finished_at?: DbDate | null;
}

/** A row of `run_logs`. */
export interface RunLogRow {
  run_id: string;
  seq: number;
  level: RunLogEntry['level'];
  message: string;
  at: DbDate;
}

/** A nullable date column as a Date, or undefined. */
export const toDate = (v: DbDate | null | undefined): Date | undefined =>
  v === null || v === undefined ? undefined : new Date(v);

export function envFromRow(r: EnvironmentRow): EnvironmentRecord {
  return {
    id: r.id,
    name: r.name,
    blueprint: r.blueprint,
    owner: r.owner,
    requestedBy: r.requested_by,
    size: r.size,
    variables: JSON.parse(r.variables),
    costPerHour: Number(r.cost_per_hour),
    ttlHours: r.ttl_hours,
    expiresAt: toDate(r.expires_at),
    state: r.state,
    drift: Boolean(r.drift),
    outputs: r.outputs ? JSON.parse(r.outputs) : undefined,
    version: r.version,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  };
}

export function historyFromRow(r: HistoryRow): HistoryRecord & { id: number } {
  return {
    id: Number(r.id),
    environmentId: r.environment_id,
    from: r.from_state ?? undefined,
    to: r.to_state,
    actor: r.actor,
    reason: r.reason ?? undefined,
    decisionId: r.decision_id ?? undefined,
    at: new Date(r.at),
  };
}

/** A history row as the state change that listeners receive, with the environment after it. */
export function changeFromRow(
  environment: EnvironmentRecord,
  r: HistoryRow,
): StateChange {
  return {
    environment,
    from: r.from_state ?? null,
    to: r.to_state,
    actor: r.actor,
    reason: r.reason ?? undefined,
    decisionId: r.decision_id ?? undefined,
    at: new Date(r.at),
  };
}

export function runFromRow(r: RunRow): RunRecord {
  return {
    id: r.id,
    environmentId: r.environment_id,
    kind: r.kind,
    state: r.state,
    attempt: r.attempt,
    claimedBy: r.claimed_by ?? undefined,
    heartbeatAt: toDate(r.heartbeat_at),
    notBefore: new Date(r.not_before),
    error: r.error ?? undefined,
    createdAt: new Date(r.created_at),
    startedAt: toDate(r.started_at),
    finishedAt: toDate(r.finished_at),
  };
}

export function logFromRow(r: RunLogRow): RunLogEntry {
  return {
    seq: r.seq,
    level: r.level,
    message: r.message,
    at: new Date(r.at),
  };
}
