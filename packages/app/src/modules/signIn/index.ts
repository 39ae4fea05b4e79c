import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import { forgeAuthApi } from './forgeAuthApi';

/** Sign-in: the forge's OIDC accounts (and guest, in development); see PortalSignInPage. */
export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [
    forgeAuthApi,
    SignInPageBlueprint.make({
      params: {
        loader: async () =>
          (await import('./PortalSignInPage')).PortalSignInPage,
      },
    }),
  ],
});
