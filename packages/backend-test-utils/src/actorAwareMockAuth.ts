/*
 * Test-only credentials, because the tests cannot sign real people in: startTestBackend's mock
 * auth, with one difference. When a plugin calls another on behalf of a user, the mock issues a
 * token that authenticates as that user WITHOUT the calling plugin as `actor`; real Backstage
 * tokens carry it, and the permission backend relies on it (a user request without an actor may
 * not ask resource permissions without a resourceRef). Here on-behalf-of tokens are mock user
 * tokens with `actor: plugin:<caller>`, as the real auth service issues them.
 */
/* eslint-disable @backstage/no-undeclared-imports */
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';

export const actorAwareMockAuthFactory = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const pluginId = plugin.getId();
    const inner = mockServices.auth({ pluginId });
    return {
      authenticate: inner.authenticate.bind(inner),
      getNoneCredentials: inner.getNoneCredentials.bind(inner),
      getOwnServiceCredentials: inner.getOwnServiceCredentials.bind(inner),
      isPrincipal: inner.isPrincipal.bind(inner) as typeof inner.isPrincipal,
      getLimitedUserToken: inner.getLimitedUserToken.bind(inner),
      listPublicServiceKeys: inner.listPublicServiceKeys.bind(inner),
      async getPluginRequestToken(options) {
        const principal = options.onBehalfOf.principal as {
          type: string;
          userEntityRef?: string;
        };
        if (principal.type === 'user') {
          return {
            token: mockCredentials.user.token(principal.userEntityRef, {
              actor: { subject: `plugin:${pluginId}` },
            }),
          };
        }
        return inner.getPluginRequestToken(options);
      },
    };
  },
});
