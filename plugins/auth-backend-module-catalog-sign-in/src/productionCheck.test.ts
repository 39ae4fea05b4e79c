import { ConfigReader } from '@backstage/config';
import { randomBytes } from 'node:crypto';
import { productionSignInProblems } from './productionCheck';

const strong = randomBytes(24).toString('base64'); // 32 characters, not in the repository

describe('productionSignInProblems', () => {
  const complete = {
    auth: {
      environment: 'production',
      session: { secret: strong },
      providers: {
        oidc: {
          production: {
            metadataUrl: 'https://id.example/.well-known/openid-configuration',
            clientId: 'portal',
            clientSecret: 's3cret-value',
          },
        },
      },
    },
  };

  it('accepts a complete OIDC provider for the configured environment', () => {
    expect(
      productionSignInProblems(new ConfigReader(complete), 'production'),
    ).toEqual([]);
  });

  it('names each missing key and its variable, never a value', () => {
    const problems = productionSignInProblems(
      new ConfigReader({
        auth: {
          environment: 'production',
          session: { secret: strong },
          providers: { oidc: { production: { clientSecret: 's3cret-value' } } },
        },
      }),
      'production',
    );
    expect(problems).toEqual([
      'auth.providers.oidc.production.metadataUrl is not set (set AUTH_OIDC_METADATA_URL)',
      'auth.providers.oidc.production.clientId is not set (set AUTH_OIDC_CLIENT_ID)',
    ]);
    expect(problems.join()).not.toContain('s3cret-value');
  });

  it("reads the provider of auth.environment, so development's client does not count", () => {
    const devOnly = {
      auth: {
        environment: 'production',
        session: { secret: strong },
        providers: {
          oidc: { development: complete.auth.providers.oidc.production },
        },
      },
    };
    expect(
      productionSignInProblems(new ConfigReader(devOnly), 'production'),
    ).toHaveLength(3);
  });

  it.each([
    [undefined, 'auth.session.secret is not set (set AUTH_SESSION_SECRET)'],
    [
      'local-session-secret-not-for-production',
      'auth.session.secret must not be a value that appears in the repository (set AUTH_SESSION_SECRET)',
    ],
    [
      'short-secret',
      'auth.session.secret must be at least 32 characters (set AUTH_SESSION_SECRET)',
    ],
  ])('refuses the session secret %s, never naming it', (secret, problem) => {
    const problems = productionSignInProblems(
      new ConfigReader({
        auth: { ...complete.auth, session: secret ? { secret } : undefined },
      }),
      'production',
    );
    expect(problems).toEqual([problem]);
    expect(problems.join()).not.toContain(secret ?? 'no secret given');
  });

  it('asks nothing outside production', () => {
    expect(
      productionSignInProblems(new ConfigReader({}), 'development'),
    ).toEqual([]);
  });
});
