import { CustomErrorBase } from '@backstage/errors';
import { BreakerState } from './CircuitBreaker';
import { OpaFallbackRule } from './fallback';

/** One answer from OPA's Data API. */
export interface OpaDecision<T = unknown> {
  /** The value of the rule asked for. */
  result: T;
  /** OPA's decision id (present when OPA's decision logging is on), for the audit trail. */
  decisionId?: string;
  /** The policy revision the answer came from. */
  revision?: string;
}

export interface OpaQueryOptions {
  /**
   * A key for the decision cache (the client adds the policy revision and the path). Give one
   * only when the input apart from what the key names (for example the time) cannot change the
   * answer. Without a key the answer is not cached, but identical inputs in flight still share one request.
   */
  cacheKey?: string;
  /**
   * A rule that answers many inputs at once: `input.queries` is a list of inputs for `path`,
   * and the result is the list of answers in the same order. Queries made in the same tick with
   * the same batch path are sent to OPA as one request.
   */
  batchPath?: string;
}

/** Why OPA could not give an answer. The caller fails closed on any of them. */
export type OpaFailure =
  | 'unreachable'
  | 'timeout'
  | 'malformed'
  | 'http-error'
  | 'breaker-open'
  | 'undefined';

export class OpaUnavailableError extends CustomErrorBase {
  name = 'OpaUnavailableError' as const;
  constructor(readonly failure: OpaFailure, message: string, cause?: Error) {
    super(message, cause);
  }
}

/** What the client knows about OPA, for the info endpoint and logs. */
export interface OpaStatus {
  url: string;
  mode: 'sidecar' | 'local';
  breaker: BreakerState;
  revision?: string;
  lastError?: string;
  timeoutMs: number;
}

/** The portal's one client for Open Policy Agent, shared by every plugin. */
export interface OpaClient {
  /**
   * Evaluates the rule at `path` (for example `portal/permissions/decision`) for `input`.
   * Throws OpaUnavailableError when OPA cannot answer in time, answers something malformed or
   * leaves the rule undefined; callers turn that into deny (or the configured fallback).
   */
  query<T = unknown>(
    path: string,
    input: unknown,
    options?: OpaQueryOptions,
  ): Promise<OpaDecision<T>>;
  /**
   * What the configured fallback (`opa.fallback`) answers for this permission while OPA is
   * unavailable: allow, conditions with placeholders, or undefined (deny).
   */
  fallbackFor(permissionName: string): OpaFallbackRule | undefined;
  status(): OpaStatus;
}
