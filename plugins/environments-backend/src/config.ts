import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import os from 'node:os';
import path from 'node:path';
import { REFUSAL_RATE_LIMIT_DEFAULTS, RETENTION_DEFAULTS } from './limits';
import { StateBackend } from './runner/TofuRunner';
import { readSecretsConfig, SecretsConfig } from './secrets/secretsConfig';

/**
 * Every default of the `environments` config section, in one place (config.d.ts and the README
 * describe the keys). The rate limit's and retention's come from limits.ts, with the other limits.
 */
export const ENVIRONMENTS_DEFAULTS = {
  blueprintsDir: '../../templates/environments',
  blueprints: { frequency: { minutes: 5 } },
  workDir: path.join(os.tmpdir(), 'portal-environments'),
  runs: {
    pollInterval: { seconds: 2 },
    heartbeatInterval: { seconds: 5 },
    staleAfter: { seconds: 60 },
    concurrency: 2,
  },
  retention: {
    maxAge: { days: RETENTION_DEFAULTS.runDays },
    frequency: { minutes: RETENTION_DEFAULTS.intervalMinutes },
  },
  refusals: {
    max: REFUSAL_RATE_LIMIT_DEFAULTS.max,
    window: { minutes: REFUSAL_RATE_LIMIT_DEFAULTS.windowMinutes },
  },
  reminders: { before: { hours: 24 } },
  /** The platform team: the group whose role binding in policies/portal/org/data.yaml approves. */
  approvals: { notify: ['group:default/platform'] },
} as const;

/**
 * Where blueprints come from: a local folder, watched (`environments.blueprintsDir`, the default);
 * or a tree read from a URL with the UrlReader every `frequency` (`environments.blueprints.url`),
 * each new tree extracted into its own folder under `extractDir` (workDir/blueprints).
 */
export type BlueprintsSource =
  | { type: 'dir'; dir: string }
  | {
      type: 'url';
      url: string;
      frequency: HumanDuration;
      extractDir: string;
    };

/** The `environments` section (and `app.baseUrl`), read and checked once, with the defaults applied. */
export interface EnvironmentsConfig {
  appBaseUrl: string;
  /** Folders absolute. */
  blueprints: BlueprintsSource;
  /** Absolute; OpenTofu's working folders are under `work/`, local state under `state/`. */
  workDir: string;
  /** The TofuRunner's options, except the binary (found with findTool). */
  runner: {
    workRoot: string;
    state: StateBackend;
    platformEnv: { postgresAdminUrl?: string };
    stateEncryptionPassphrase: string;
  };
  secrets: SecretsConfig;
  runs: {
    pollInterval: HumanDuration;
    heartbeatInterval: HumanDuration;
    staleAfter: HumanDuration;
    /** 0: a replica that serves the API only. */
    concurrency: number;
  };
  retention: { maxAge: HumanDuration; frequency: HumanDuration };
  refusals: { max: number; window: HumanDuration };
  reminders: { before: HumanDuration };
  /** Who is notified of a request that waits for approval: entity refs (kind:namespace/name). */
  approvals: { notify: string[] };
}

/**
 * A duration key under `environments.`, or the number key it replaces (still honoured: a number
 * of `unit`s). Both set, a value that is not a duration, or one that is not above zero stops the
 * backend, naming the key.
 */
function duration(
  config: Config,
  key: string,
  replaced: { key: string; unit: keyof HumanDuration } | undefined,
  fallback: HumanDuration,
): HumanDuration {
  const name = `environments.${key}`;
  const oldName = replaced && `environments.${replaced.key}`;
  if (oldName && config.has(name) && config.has(oldName))
    throw new Error(
      `${name}: set either it or ${oldName} (which it replaces), not both`,
    );
  if (replaced && oldName && config.has(oldName))
    return { [replaced.unit]: positive(config, oldName) } as HumanDuration;
  if (!config.has(name)) return { ...fallback };
  let value: HumanDuration;
  try {
    value = readDurationFromConfig(config, { key: name });
  } catch (e) {
    throw new Error(
      `${name}: must be a duration, like '2s', '15 minutes', 'PT1H' or { minutes: 15 } (${e})`,
    );
  }
  if (!(durationToMilliseconds(value) > 0))
    throw new Error(`${name}: must be a duration longer than zero`);
  return value;
}

function positive(config: Config, name: string): number {
  const value = config.getNumber(name);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name}: must be a positive number, not ${value}`);
  return value;
}

function concurrency(config: Config): number {
  const name = 'environments.runs.concurrency';
  const value =
    config.getOptionalNumber(name) ?? ENVIRONMENTS_DEFAULTS.runs.concurrency;
  if (!Number.isSafeInteger(value) || value < 0)
    throw new Error(
      `${name}: must be a whole number from 0 (0: serve the API only), not ${value}`,
    );
  return value;
}

/**
 * A list of entity refs (`kind:namespace/name`, or `kind:name` in the default namespace), each
 * returned as `kind:namespace/name` with the kind and namespace in lower case, as the catalog
 * spells refs; an empty list is allowed (nobody).
 */
function entityRefs(
  config: Config,
  key: string,
  fallback: readonly string[],
): string[] {
  const name = `environments.${key}`;
  if (!config.has(name)) return [...fallback];
  let refs: string[];
  try {
    refs = config.getStringArray(name);
  } catch (e) {
    throw new Error(`${name}: must be a list of entity refs (${e})`);
  }
  return refs.map(ref => {
    const m = /^([A-Za-z][\w-]*):(?:([\w.-]+)\/)?([\w.-]+)$/.exec(ref.trim());
    if (!m)
      throw new Error(
        `${name}: '${ref}' is not an entity ref, like group:default/platform`,
      );
    return `${m[1].toLowerCase()}:${(m[2] ?? 'default').toLowerCase()}/${m[3]}`;
  });
}

/**
 * environments.blueprintsDir (the default) or environments.blueprints.url, not both. The URL must
 * be http(s) and carry no credentials (the UrlReader's integration for its host has them).
 */
function blueprintsSource(config: Config, workDir: string): BlueprintsSource {
  const dirKey = 'environments.blueprintsDir';
  const urlKey = 'environments.blueprints.url';
  const frequencyKey = 'environments.blueprints.frequency';
  const url = config.getOptionalString(urlKey);
  if (url === undefined) {
    if (config.has(frequencyKey))
      throw new Error(
        `${frequencyKey}: is only used with ${urlKey}; set the URL or remove it`,
      );
    const dir = config.getOptionalString(dirKey);
    return {
      type: 'dir',
      dir: path.resolve(dir ?? ENVIRONMENTS_DEFAULTS.blueprintsDir),
    };
  }
  if (config.has(dirKey))
    throw new Error(
      `${urlKey} and ${dirKey}: set one of them, not both (blueprints come from a URL or from a local folder)`,
    );
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(
      `${urlKey}: must be a URL, like http://forge/org/repo/src/branch/main/environments`,
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new Error(
      `${urlKey}: must be an http or https URL, not ${parsed.protocol}`,
    );
  if (parsed.username || parsed.password)
    throw new Error(
      `${urlKey}: must not carry credentials; the integration for ${parsed.host} (integrations.*) has them`,
    );
  let trimmed = url;
  while (trimmed.endsWith('/')) trimmed = trimmed.slice(0, -1);
  return {
    type: 'url',
    url: trimmed,
    frequency: duration(
      config,
      'blueprints.frequency',
      undefined,
      ENVIRONMENTS_DEFAULTS.blueprints.frequency,
    ),
    extractDir: path.join(workDir, 'blueprints'),
  };
}

/**
 * Reads the environments plugin's config. Throws, naming the key, on a value it cannot use; with
 * NODE_ENV=production, also on a missing, development or short secrets key or state passphrase.
 */
export function readEnvironmentsConfig(
  config: Config,
  env: NodeJS.ProcessEnv = process.env,
): EnvironmentsConfig {
  const d = ENVIRONMENTS_DEFAULTS;
  const secrets = readSecretsConfig(config, env);
  const workDir = path.resolve(
    config.getOptionalString('environments.workDir') ?? d.workDir,
  );
  const stateConnection = config.getOptionalString(
    'environments.state.pgConnectionString',
  );
  return {
    appBaseUrl: config.getString('app.baseUrl'),
    blueprints: blueprintsSource(config, workDir),
    workDir,
    runner: {
      workRoot: path.join(workDir, 'work'),
      state: stateConnection
        ? { type: 'pg', connectionString: stateConnection }
        : { type: 'local', dir: path.join(workDir, 'state') },
      platformEnv: {
        postgresAdminUrl: config.getOptionalString(
          'environments.postgres.adminUrl',
        ),
      },
      stateEncryptionPassphrase: secrets.statePassphrase,
    },
    secrets,
    runs: {
      pollInterval: duration(
        config,
        'runs.pollInterval',
        { key: 'runs.pollSeconds', unit: 'seconds' },
        d.runs.pollInterval,
      ),
      heartbeatInterval: duration(
        config,
        'runs.heartbeatInterval',
        { key: 'runs.heartbeatSeconds', unit: 'seconds' },
        d.runs.heartbeatInterval,
      ),
      staleAfter: duration(
        config,
        'runs.staleAfter',
        { key: 'runs.staleAfterSeconds', unit: 'seconds' },
        d.runs.staleAfter,
      ),
      concurrency: concurrency(config),
    },
    retention: {
      maxAge: duration(
        config,
        'retention.maxAge',
        { key: 'retention.runDays', unit: 'days' },
        d.retention.maxAge,
      ),
      frequency: duration(
        config,
        'retention.frequency',
        { key: 'retention.intervalMinutes', unit: 'minutes' },
        d.retention.frequency,
      ),
    },
    refusals: {
      max: config.has('environments.rateLimit.refusals.max')
        ? positive(config, 'environments.rateLimit.refusals.max')
        : d.refusals.max,
      window: duration(
        config,
        'rateLimit.refusals.window',
        { key: 'rateLimit.refusals.windowMinutes', unit: 'minutes' },
        d.refusals.window,
      ),
    },
    reminders: {
      before: duration(
        config,
        'reminders.before',
        { key: 'reminders.beforeHours', unit: 'hours' },
        d.reminders.before,
      ),
    },
    approvals: {
      notify: entityRefs(config, 'approvals.notify', d.approvals.notify),
    },
  };
}
