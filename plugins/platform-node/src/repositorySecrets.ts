/**
 * The shortest secret accepted in production (a webhook secret, a session secret; DORA's
 * readSources accepts 16 characters anywhere else, for local development and tests).
 */
export const PRODUCTION_MIN_SECRET_LENGTH = 32;

/**
 * Every secret-shaped value of 32 characters or more that appears in this repository: the
 * `${VAR:-default}` defaults of app-config.yaml (commented or not), the development keys in code,
 * and any example in the READMEs and docs. A shorter one is refused by its length. These are public, so production
 * refuses them. plugins/dora-backend/src/config/productionChecks.test.ts scans every tracked file and fails when a value of that
 * shape is missing here.
 */
export const REPOSITORY_SECRETS: ReadonlySet<string> = new Set([
  'local-demo-secret-not-for-production',
  'local-gitea-secret-not-for-production',
  // app-config.yaml's development CI token (backend.auth.externalAccess), for the DORA JSON API
  'local-ci-token-not-for-production',
  // app-config.yaml's development auth.session.secret (the OIDC sign-in's session cookie)
  'local-session-secret-not-for-production',
  // the commented-out examples of app-config.yaml (shorter than 32, listed all the same)
  'dev-github-webhook-secret',
  'dev-gitlab-webhook-token',
  'dev-cdevents-webhook-secret',
  // the development keys of the environments plugin (environments-backend secretsConfig.ts)
  'development-only-environments-secrets-key-not-for-production',
  'development-only-environments-state-passphrase',
  // secrets of tests and benchmarks
  'bench-state-passphrase-0123456789',
  'a-passphrase-for-the-runner-test',
  'a-database-password-of-the-backend',
  'an-old-key-that-is-long-enough-0123456789',
  'a-new-key-that-is-long-enough-9876543210',
  'b6a1d0c4e7f2489cb1d3a5e9f0c2d4e6',
  'dora-test-secret-0123456789abcdef0123',
  'node-service-ci-token-0123456789',
  'gitea-test-secret-0123456789abcdef',
]);
