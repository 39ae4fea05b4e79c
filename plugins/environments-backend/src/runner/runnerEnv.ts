import { RUNNER_ENV_BUNDLES } from '@internal/plugin-environments-common';

/**
 * The environment OpenTofu runs with: an allow-list, never the backend's own process.env (which
 * holds database passwords, backend secrets and the like). Provisioners (`local-exec`) inherit
 * OpenTofu's environment, so what is not listed here does not reach module code either.
 */

/** Variables taken from the backend's environment, when set. */
export const INHERITED_ENV = [
  'PATH',
  'HOME',
  'TF_CLI_CONFIG_FILE',
  'LANG',
  'TZ',
  'TMPDIR',
] as const;

/** What a blueprint may ask for under `spec.runner.env`: named bundles the platform fills in. */
export const ENV_BUNDLES = RUNNER_ENV_BUNDLES;

/** What the platform knows that bundles are made of (from config). */
export interface PlatformEnv {
  /** environments.postgres.adminUrl */
  postgresAdminUrl?: string;
}

/** libpq's variables for a PostgreSQL URL, so that psql connects without a URL in its argv. */
export function libpqEnv(url: string): Record<string, string> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // never echo the value: it holds a password
    throw new Error(
      'environments.postgres.adminUrl is not a valid URL (postgresql://user:password@host:port/database)',
    );
  }
  if (parsed.protocol !== 'postgresql:' && parsed.protocol !== 'postgres:') {
    throw new Error(
      `environments.postgres.adminUrl must be a postgresql:// URL, not ${parsed.protocol}//`,
    );
  }
  const env: Record<string, string> = {};
  if (parsed.hostname)
    env.PGHOST = decodeURIComponent(parsed.hostname.replace(/^\[|\]$/g, ''));
  if (parsed.port) env.PGPORT = parsed.port;
  if (parsed.username) env.PGUSER = decodeURIComponent(parsed.username);
  if (parsed.password) env.PGPASSWORD = decodeURIComponent(parsed.password);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (database) env.PGDATABASE = database;
  const sslmode = parsed.searchParams.get('sslmode');
  if (sslmode) env.PGSSLMODE = sslmode;
  return env;
}

/** The variables of the bundles a blueprint asks for; a bundle the platform cannot fill fails the run. */
export function bundleEnv(
  bundles: readonly string[],
  platform: PlatformEnv,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const bundle of bundles) {
    if (bundle === 'postgres-admin') {
      if (!platform.postgresAdminUrl) {
        throw new Error(
          'the blueprint needs postgres-admin, but environments.postgres.adminUrl is not set',
        );
      }
      Object.assign(env, libpqEnv(platform.postgresAdminUrl));
    } else {
      throw new Error(
        `the blueprint needs ${bundle}, which is not one of ${ENV_BUNDLES.join(
          ', ',
        )}`,
      );
    }
  }
  return env;
}

/** Makes an OpenTofu environment from the allow-list and what the runner adds to it. */
export function tofuEnv(options: {
  from: NodeJS.ProcessEnv;
  /** The runner's own settings: TF_IN_AUTOMATION, PG_CONN_STR, TF_ENCRYPTION, TF_VAR_* ... */
  runner: Record<string, string | undefined>;
  /** What the blueprint declared it needs (its bundles' variables). */
  blueprint?: Record<string, string>;
}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of INHERITED_ENV) {
    const value = options.from[name];
    if (value !== undefined) env[name] = value;
  }
  Object.assign(env, options.blueprint);
  for (const [name, value] of Object.entries(options.runner))
    if (value !== undefined) env[name] = value;
  return env;
}
