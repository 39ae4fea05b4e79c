import { SignInPage } from '@backstage/core-components';
import { ApiProvider } from '@backstage/core-app-api';
import {
  ApiHolder,
  configApiRef,
  errorApiRef,
  useApi,
  useApiHolder,
} from '@backstage/core-plugin-api';
import type { SignInPageProps } from '@backstage/plugin-app-react';
import { useMemo, useState } from 'react';
import { forgeAuthApiRef } from './forgeAuthApi';
import { NoCatalogUser } from './NoCatalogUser';
import { noCatalogUserMessage } from './noCatalogUser';

const forgeProvider = {
  id: 'oidc-auth-provider',
  title: 'Acme Forge',
  message: 'Sign in with your forge account',
  apiRef: forgeAuthApiRef,
};

/**
 * Backstage's sign-in page with the forge (OIDC) and, in development only (auth.environment), guest.
 * A sign-in the backend refuses because the person has no catalog User shows NoCatalogUser, which
 * says so and whom to ask, instead of a passing error message.
 */
export function PortalSignInPage(props: SignInPageProps) {
  const apis = useApiHolder();
  const config = useApi(configApiRef);
  const [refusal, setRefusal] = useState<string>();
  const development =
    (config.getOptionalString('auth.environment') ?? 'development') ===
    'development';

  // The page's error API, except for the no-catalog-User refusal, which this page shows itself.
  const holder = useMemo<ApiHolder>(() => {
    const errorApi = apis.get(errorApiRef)!;
    const intercepted: typeof errorApi = {
      post(error, context) {
        const message = noCatalogUserMessage(error);
        if (message) setRefusal(message);
        else errorApi.post(error, context);
      },
      error$: () => errorApi.error$(),
    };
    return {
      get: ref =>
        (ref.id === errorApiRef.id ? intercepted : apis.get(ref)) as any,
    };
  }, [apis]);

  if (refusal) {
    return (
      <NoCatalogUser message={refusal} onBack={() => setRefusal(undefined)} />
    );
  }
  return (
    <ApiProvider apis={holder}>
      <SignInPage
        {...props}
        auto
        title="Acme Developer Portal"
        align="center"
        providers={development ? [forgeProvider, 'guest'] : [forgeProvider]}
      />
    </ApiProvider>
  );
}
