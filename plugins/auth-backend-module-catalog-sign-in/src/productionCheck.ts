import { Config } from '@backstage/config';
import {
  PRODUCTION_MIN_SECRET_LENGTH,
  REPOSITORY_SECRETS,
} from '@internal/plugin-platform-node';

/** The settings of production's sign-in, each with the environment variable that fills it. */
const REQUIRED = [
  ['metadataUrl', 'AUTH_OIDC_METADATA_URL'],
  ['clientId', 'AUTH_OIDC_CLIENT_ID'],
  ['clientSecret', 'AUTH_OIDC_CLIENT_SECRET'],
] as const;

/**
 * With NODE_ENV=production nobody could sign in without an OIDC provider (guest refuses everyone
 * there), so the backend refuses to start without one, naming each missing key and its variable
 * (app-config.production.yaml); nor with the development session secret, which is public. Returns the problems; empty when the config is complete, and
 * outside production.
 */
export function productionSignInProblems(
  config: Config,
  nodeEnv = process.env.NODE_ENV,
): string[] {
  if (nodeEnv !== 'production') return [];
  const env = config.getOptionalString('auth.environment') ?? 'development';
  const key = `auth.providers.oidc.${env}`;
  const oidc = config.getOptionalConfig(key);
  const problems = REQUIRED.filter(
    ([name]) => !oidc?.getOptionalString(name),
  ).map(([name, variable]) => `${key}.${name} is not set (set ${variable})`);
  const session = config.getOptionalString('auth.session.secret')?.trim();
  if (!session) {
    problems.push('auth.session.secret is not set (set AUTH_SESSION_SECRET)');
  } else if (REPOSITORY_SECRETS.has(session)) {
    problems.push(
      'auth.session.secret must not be a value that appears in the repository (set AUTH_SESSION_SECRET)',
    );
  } else if (session.length < PRODUCTION_MIN_SECRET_LENGTH) {
    problems.push(
      `auth.session.secret must be at least ${PRODUCTION_MIN_SECRET_LENGTH} characters (set AUTH_SESSION_SECRET)`,
    );
  }
  return problems;
}
