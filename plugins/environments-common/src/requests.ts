/** The longest name an environment may have (it becomes part of database names and paths). */
export const ENVIRONMENT_NAME_MAX_LENGTH = 40;

/**
 * The most hours any request may name (a TTL, or an extension), whatever the blueprint says: a
 * sanity bound on input. Each blueprint's own maximum is `spec.ttl.maxHours` in its
 * `blueprint.yaml`, and that is the limit that applies (see templates/environments/README.md).
 */
export const ABSURD_TTL_HOURS = 24 * 365;

/** Whose environments a list shows: the caller's requests, their teams', or every one they may see. */
export const ENVIRONMENT_LIST_SCOPES = ['mine', 'team', 'all'] as const;
export type EnvironmentListScope = (typeof ENVIRONMENT_LIST_SCOPES)[number];

/** The body of `POST /environments`. */
export interface CreateEnvironmentRequest {
  /** Lower-case words joined by dashes, at most ENVIRONMENT_NAME_MAX_LENGTH characters. */
  name: string;
  blueprint: string;
  /** The owning team, a group entity ref. */
  owner: string;
  /** The blueprint's default size when unset. */
  size?: string;
  /** The blueprint's default TTL when unset. */
  ttlHours?: number;
  variables?: Record<string, string | number | boolean>;
}

/** The body of `POST /environments/:id/extend`. */
export interface ExtendEnvironmentRequest {
  hours: number;
}

/** The body of `POST /environments/:id/approve` and `/reject`. */
export interface DecideEnvironmentRequest {
  reason?: string;
}
