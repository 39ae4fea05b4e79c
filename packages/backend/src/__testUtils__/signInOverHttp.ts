/*
 * Test-only: a person signs in to a backend through the local forge (Gitea) as the OIDC provider,
 * over HTTP, as a browser's popup does (oidcFlow.ts has the pieces), and the forge's OAuth2
 * application that a production boot needs for its ports.
 */
import { TestForge } from '@internal/backend-test-utils';
import { CookieJar, follow, formFields, frameMessage, step } from './oidcFlow';

/** catalog/org.yaml's people are the forge's users with this password (README.md). */
export const FORGE_DEV_PASSWORD = 'acme-dev-password';
export const XHR = { 'X-Requested-With': 'XMLHttpRequest' };

/**
 * Signs `user` in through the production backend at `base`: start, the forge's login form, its
 * consent page when shown, and back to the backend's handler/frame. Returns the frame's message and
 * the portal's cookies (the refresh token's).
 */
export async function signIn(
  forge: TestForge,
  base: string,
  user: string,
  password = FORGE_DEV_PASSWORD,
) {
  const portal = new CookieJar();
  const browserAtForge = new CookieJar();
  const start = await step(
    portal,
    `${base}/api/auth/oidc/start?scope=openid%20profile%20email&origin=${encodeURIComponent(
      base,
    )}&env=production`,
  );
  if (start.status !== 302)
    throw new Error(`sign-in start answered ${start.status}`);
  const authorize = start.headers.get('location')!;
  if (!authorize.startsWith(forge.baseUrl))
    throw new Error(`sign-in start sent the browser to ${authorize}`);

  // The forge asks for the password (its login page), then sends the browser on.
  let at = await follow(browserAtForge, authorize, forge.baseUrl);
  if (!at.url.includes('/user/login'))
    throw new Error(`the forge did not ask for a password: ${at.url}`);
  at = await follow(
    browserAtForge,
    `${forge.baseUrl}/user/login`,
    forge.baseUrl,
    {
      form: {
        ...formFields(await at.res.text(), '/user/login'),
        user_name: user,
        password,
      },
    },
  );
  // The first time, the forge asks the person to authorise the portal.
  if (at.res.status === 200) {
    const page = await at.res.text();
    at = await follow(
      browserAtForge,
      `${forge.baseUrl}/login/oauth/grant`,
      forge.baseUrl,
      {
        form: { ...formFields(page, '/login/oauth/grant'), granted: 'true' },
      },
    );
  }
  if (!at.url.startsWith(`${base}/api/auth/oidc/handler/frame?`))
    throw new Error(`the forge did not send the browser back: ${at.url}`);
  const frame = await step(portal, at.url);
  if (frame.status !== 200)
    throw new Error(`the sign-in frame answered ${frame.status}`);
  return { message: frameMessage(await frame.text()), portal };
}

/** The Backstage token of a sign-in's frame message; throws with the sign-in's error. */
export function tokenOf(message: any): string {
  const token = message?.response?.backstageIdentity?.token;
  if (!token)
    throw new Error(`no token: ${JSON.stringify(message?.error ?? message)}`);
  return token;
}

/** What the backend makes of a Backstage token: the user and the entities they own through (teams). */
export async function claimsOf(base: string, message: any) {
  const res = await fetch(`${base}/api/auth/v1/userinfo`, {
    headers: {
      Authorization: `Bearer ${message.response?.backstageIdentity?.token}`,
    },
  });
  return (await res.json()).claims as { sub: string; ent: string[] };
}

/**
 * Registers an OAuth2 application on the forge for boots on `ports` (its redirect URIs), as an
 * installation registers the portal with its provider; delete() it afterwards.
 */
export async function forgeOAuthApp(
  forge: TestForge,
  name: string,
  ports: number[],
) {
  const app = await forge.call('POST', '/user/applications/oauth2', {
    name: `${name}-${process.pid}`,
    redirect_uris: ports.map(
      port => `http://127.0.0.1:${port}/api/auth/oidc/handler/frame`,
    ),
    confidential_client: true,
    skip_secondary_authorization: true,
  });
  return {
    clientId: app.client_id as string,
    clientSecret: app.client_secret as string,
    delete: () => forge.call('DELETE', `/user/applications/oauth2/${app.id}`),
  };
}

/** The production environment's sign-in variables for the forge's application. */
export function signInEnv(
  forge: TestForge,
  app: { clientId: string; clientSecret: string },
) {
  return {
    AUTH_OIDC_METADATA_URL: `${forge.baseUrl}/.well-known/openid-configuration`,
    AUTH_OIDC_CLIENT_ID: app.clientId,
    AUTH_OIDC_CLIENT_SECRET: app.clientSecret,
  };
}
