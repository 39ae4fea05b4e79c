import type { Blueprint } from './blueprint';
import type { EnvironmentState } from './lifecycle';
import type { LogLevel, RunKind, RunState } from './runs';

/*
 * What the environments REST API (`/api/environments`) returns, as its clients see it: dates are
 * ISO 8601 strings. The backend's records are these with Date fields.
 */

/** A sandbox environment. */
export interface Environment {
  id: string;
  name: string;
  blueprint: string;
  /** The owning team, a group entity ref. */
  owner: string;
  /** Who requested it, a user entity ref. */
  requestedBy: string;
  size: string;
  variables: Record<string, string | number | boolean>;
  costPerHour: number;
  /** How long it lives from its creation, in hours (an extension adds to it). */
  ttlHours: number;
  /** Set once it is active. */
  expiresAt?: string;
  state: EnvironmentState;
  /** A refresh-only plan found the resources changed outside the portal. */
  drift: boolean;
  /** The module's outputs that are not secret. */
  outputs?: Record<string, unknown>;
  /** Goes up by one with every change (optimistic locking). */
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** One state change in an environment's history: who, when, from which state to which, and why. */
export interface HistoryEntry {
  environmentId: string;
  /** Unset for the first entry (the request itself). */
  from?: EnvironmentState;
  to: EnvironmentState;
  /** A user entity ref, or the service that acted (the reaper, the worker). */
  actor: string;
  reason?: string;
  /** The policy decision behind the change, when there was one. */
  decisionId?: string;
  at: string;
}

/** An OpenTofu run of an environment. */
export interface Run {
  id: string;
  environmentId: string;
  kind: RunKind;
  state: RunState;
  /** 1 for the first attempt; a retried destroy counts up. */
  attempt: number;
  /** The replica working on it. */
  claimedBy?: string;
  heartbeatAt?: string;
  /** Not started before this time (backoff between attempts). */
  notBefore: string;
  error?: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
}

/** A line of a run's log, redacted. */
export interface LogLine {
  /** Counts up within the run; pass the last one back as `after`. */
  seq: number;
  level: LogLevel;
  message: string;
  at: string;
}

/** One page of a list; `nextCursor` is set when there may be more (pass it back as `cursor`). */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** `POST /environments/:id/{extend,destroy,retry,approve,reject}`. */
export interface EnvironmentResponse {
  environment: Environment;
}

/** `POST /environments`: the environment, and the guardrails' reasons (why it waits for approval). */
export interface CreateEnvironmentResponse extends EnvironmentResponse {
  reasons: string[];
}

/** `GET /environments/:id`: the environment and the first page of its history. */
export interface EnvironmentDetailResponse extends EnvironmentResponse {
  history: HistoryEntry[];
  /** Set when there is more history: `GET /environments/:id/history?cursor=`. */
  historyNextCursor?: string;
}

/** `GET /environments/:id/runs/:runId/logs`: a page of the log, with its run. */
export interface RunLogPage extends Page<LogLine> {
  run: Run;
}

/** `GET /environments/:id/secrets`. */
export interface SecretsResponse {
  secrets: Record<string, unknown>;
}

/** A blueprint as `GET /blueprints` lists it: its metadata and spec, without the module's path. */
export type BlueprintSummary = Blueprint['metadata'] &
  Omit<Blueprint['spec'], 'module'>;

/** `GET /blueprints`: a page of blueprints, and on the first page the files that did not load. */
export interface BlueprintPage extends Page<BlueprintSummary> {
  errors: Array<{ file: string; message: string }>;
}
