import { createFetchApi, FetchMiddlewares } from '@backstage/core-app-api';
import {
  ApiBlueprint,
  configApiRef,
  createFrontendModule,
  discoveryApiRef,
  fetchApiRef,
  identityApiRef,
} from '@backstage/frontend-plugin-api';
import { explainRefusals } from './explainRefusals';

/**
 * The app's fetch API, as the default one (plugin protocol, identity) plus explainRefusals: a 403
 * from any backend carries the OPA policy's reasons in its error message.
 */
export const policyReasonsModule = createFrontendModule({
  pluginId: 'app',
  extensions: [
    ApiBlueprint.make({
      name: 'fetch',
      params: defineParams =>
        defineParams({
          api: fetchApiRef,
          deps: {
            configApi: configApiRef,
            identityApi: identityApiRef,
            discoveryApi: discoveryApiRef,
          },
          factory: ({ configApi, identityApi, discoveryApi }) =>
            createFetchApi({
              middleware: [
                explainRefusals({ discoveryApi }),
                FetchMiddlewares.resolvePluginProtocol({ discoveryApi }),
                FetchMiddlewares.injectIdentityAuth({
                  identityApi,
                  config: configApi,
                }),
              ],
            }),
        }),
    }),
  ],
});
