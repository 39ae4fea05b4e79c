import { ConfigReader } from '@backstage/config';
import { productionSignInProblems } from './productionCheck';

describe('productionSignInProblems', () => {
  const complete = {
    auth: {
      environment: 'production',
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
        providers: {
          oidc: { development: complete.auth.providers.oidc.production },
        },
      },
    };
    expect(
      productionSignInProblems(new ConfigReader(devOnly), 'production'),
    ).toHaveLength(3);
  });

  it('asks nothing outside production', () => {
    expect(
      productionSignInProblems(new ConfigReader({}), 'development'),
    ).toEqual([]);
  });
});
