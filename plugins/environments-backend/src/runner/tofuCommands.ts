/**
 * How long a command waits for the state lock: a replica that takes over a run may find the lock
 * still held for a moment by the OpenTofu process of the replica that stopped.
 */
export const LOCK_TIMEOUT = '-lock-timeout=60s';

/**
 * The argv of every tofu command the runner starts (never through a shell): no prompts
 * (-input=false), the JSON stream the log is made of, no colour codes, and a wait for the state
 * lock on the commands that take it. Nothing in them comes from a request or a secret.
 */
export const TOFU_ARGV = {
  init: ['init', '-input=false', '-no-color', '-json', '-reconfigure'],
  apply: [
    'apply',
    '-input=false',
    '-auto-approve',
    '-json',
    '-no-color',
    LOCK_TIMEOUT,
  ],
  destroy: [
    'destroy',
    '-input=false',
    '-auto-approve',
    '-json',
    '-no-color',
    LOCK_TIMEOUT,
  ],
  /** A refresh-only plan; exit code 2 when the resources no longer match the state. */
  plan: [
    'plan',
    '-refresh-only',
    '-detailed-exitcode',
    '-input=false',
    '-json',
    '-no-color',
    LOCK_TIMEOUT,
  ],
  /** The outputs as one JSON document on stdout (when they cannot be read from the state). */
  output: ['output', '-json', '-no-color'],
} as const;

export type TofuCommand = keyof typeof TOFU_ARGV;
