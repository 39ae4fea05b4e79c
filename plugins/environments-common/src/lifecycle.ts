/**
 * The lifecycle of a sandbox environment: one state machine, stored, every transition audited.
 *
 * ```
 * requested -> pending_approval -> queued          requested/pending_approval -> rejected (end)
 * requested -> queued -> provisioning -> active
 * active -> updating -> active                     active -> destroying -> destroyed (end)
 * provisioning (failed) -> destroying              (clean partial resources, keep the logs)
 * destroying (failed) -> destroying (retry, with backoff) ... -> quarantined (a person acts)
 * quarantined -> destroying (a person retries)
 * ```
 * Extending moves the expiry of an active environment without a state change; drift is a flag on
 * an active environment, set by scheduled refresh-only plans.
 */
export const ENVIRONMENT_STATES = [
  'requested',
  'pending_approval',
  'rejected',
  'queued',
  'provisioning',
  'active',
  'updating',
  'destroying',
  'destroyed',
  'quarantined',
] as const;

export type EnvironmentState = (typeof ENVIRONMENT_STATES)[number];

/** The states an environment may move to from each state. */
export const TRANSITIONS: Readonly<
  Record<EnvironmentState, readonly EnvironmentState[]>
> = {
  requested: ['pending_approval', 'queued', 'rejected'],
  pending_approval: ['queued', 'rejected'],
  rejected: [],
  queued: ['provisioning', 'destroying'],
  provisioning: ['active', 'destroying'],
  active: ['updating', 'destroying'],
  updating: ['active', 'destroying'],
  destroying: ['destroyed', 'destroying', 'quarantined'],
  destroyed: [],
  quarantined: ['destroying'],
};

/** States an environment never leaves. */
export const TERMINAL_STATES: readonly EnvironmentState[] = [
  'rejected',
  'destroyed',
];

/** States in which an environment may hold real resources. */
export const LIVE_STATES: readonly EnvironmentState[] = [
  'queued',
  'provisioning',
  'active',
  'updating',
  'destroying',
  'quarantined',
];

/**
 * States of an environment that is not gone: waiting for a decision, or live. These are the
 * environments the catalog lists and that count against their team's quota.
 */
export const NOT_GONE_STATES: readonly EnvironmentState[] = [
  'pending_approval',
  ...LIVE_STATES,
];

/**
 * States from which a person may ask for a destroy: active, quarantined (after failed destroys),
 * or queued (before its apply starts). Not while a run is working on it.
 */
export const DESTROYABLE_STATES: readonly EnvironmentState[] = [
  'active',
  'quarantined',
  'queued',
];

/** States in which a run is queued or working on the environment: the page shows progress. */
export const IN_PROGRESS_STATES: readonly EnvironmentState[] = [
  'queued',
  'provisioning',
  'updating',
  'destroying',
];

export function canTransition(
  from: EnvironmentState,
  to: EnvironmentState,
): boolean {
  return TRANSITIONS[from].includes(to);
}

/**
 * Whether an environment that is `from` can still become `to` by the transitions (in any number
 * of steps; a state reaches itself). One that is destroying can never become active again, for
 * instance, so a step waiting for active can stop waiting.
 */
export function canReach(
  from: EnvironmentState,
  to: EnvironmentState,
): boolean {
  const seen = new Set<EnvironmentState>([from]);
  const todo = [from];
  while (todo.length) {
    const state = todo.pop()!;
    if (state === to) return true;
    for (const next of TRANSITIONS[state])
      if (!seen.has(next)) {
        seen.add(next);
        todo.push(next);
      }
  }
  return false;
}

export function isEnvironmentState(value: unknown): value is EnvironmentState {
  return (
    typeof value === 'string' &&
    (ENVIRONMENT_STATES as readonly string[]).includes(value)
  );
}

/** Thrown when a transition the state machine does not allow is attempted. */
export class InvalidTransitionError extends Error {
  readonly name = 'InvalidTransitionError';
  constructor(readonly from: EnvironmentState, readonly to: EnvironmentState) {
    super(
      `an environment that is ${from} cannot become ${to} ${
        TRANSITIONS[from].length
          ? `(from ${from} it can become: ${TRANSITIONS[from].join(', ')})`
          : `(${from} is final)`
      }`,
    );
  }
}
