import { Config } from '@backstage/config';

/** The settings of production's sign-in, each with the environment variable that fills it. */
const REQUIRED = [
  ['metadataUrl', 'AUTH_OIDC_METADATA_URL'],
  ['clientId', 'AUTH_OIDC_CLIENT_ID'],
  ['clientSecret', 'AUTH_OIDC_CLIENT_SECRET'],
] as const;

/**
 * With NODE_ENV=production nobody could sign in without an OIDC provider (guest refuses everyone
 * there), so the backend refuses to start without one, naming each missing key and its variable
 * (app-config.production.yaml). Returns the problems; empty when the config is complete, and
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
  return REQUIRED.filter(([name]) => !oidc?.getOptionalString(name)).map(
    ([name, variable]) => `${key}.${name} is not set (set ${variable})`,
  );
}
