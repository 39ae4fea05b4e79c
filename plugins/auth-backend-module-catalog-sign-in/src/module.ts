import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { oidcAuthenticator } from '@backstage/plugin-auth-backend-module-oidc-provider';
import {
  authProvidersExtensionPoint,
  createOAuthProviderFactory,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { readinessServiceRef } from '@internal/plugin-platform-node';
import { guestAuthenticator } from './guestAuthenticator';
import { ORGANISATION_GATE, OrganisationGate } from './OrganisationGate';
import { productionSignInProblems } from './productionCheck';
import { forgeAccountToCatalogUser, guestToCatalogUser } from './resolvers';

/**
 * The portal's sign-in providers: `oidc` (the forge, or any OIDC provider: upstream's
 * authenticator) and, where configured, `guest`; both resolve to catalog Users and wait for the
 * catalog at a cold start. Adds the readiness gate "the catalog holds the organisation".
 */
export const authModuleCatalogSignIn = createBackendModule({
  pluginId: 'auth',
  moduleId: 'catalog-sign-in',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
        readiness: readinessServiceRef,
      },
      async init({ providers, config, catalog, auth, readiness }) {
        const problems = productionSignInProblems(config);
        if (problems.length > 0) {
          throw new Error(
            `refusing to start: nobody could sign in: ${problems.join('; ')}`,
          );
        }
        const gate = new OrganisationGate({ catalog, auth });
        readiness.addGate(ORGANISATION_GATE, () => gate.check());
        if (config.has('auth.providers.oidc')) {
          providers.registerProvider({
            providerId: 'oidc',
            factory: createOAuthProviderFactory({
              authenticator: oidcAuthenticator,
              signInResolver: forgeAccountToCatalogUser(gate),
            }),
          });
        }
        const guest = config.getOptionalConfig('auth.providers.guest');
        if (guest) {
          providers.registerProvider({
            providerId: 'guest',
            factory: createProxyAuthProviderFactory({
              authenticator: guestAuthenticator,
              signInResolver: guestToCatalogUser(guest, gate),
            }),
          });
        }
      },
    });
  },
});
