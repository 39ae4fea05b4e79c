/*
 * The production image can sign people in (issue 16): the backend booted as the image runs it
 * (app-config.yaml + app-config.production.yaml, NODE_ENV=production; see
 * __testUtils__/productionBackend.ts) with the local Gitea as its OIDC provider, given only by the
 * AUTH_OIDC_* variables, as any provider would be.
 *
 * The test registers an OAuth2 application on Gitea for this boot's port, then goes through the
 * sign-in as a browser's popup does, over HTTP (__testUtils__/oidcFlow.ts): dev signs in with his
 * forge password and gets a Backstage token for user:default/dev, which the backend's userinfo
 * resolves with his team; a reload
 * restores the session (refresh); after sign-out it does not. Someone with a forge account but no
 * catalog User is refused with the message the sign-in page explains.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import knexFactory, { Knex } from 'knex';
import { LocalOpaServer } from '@internal/plugin-opa-node';
import { freePort } from '@internal/plugin-platform-node';
import { testForge } from '@internal/backend-test-utils';
import {
  BOOT_TIMEOUT_MS,
  dbPrefix,
  opaBinary,
  pgUrl,
  productionEnv,
  repoRoot,
  run,
} from './__testUtils__/productionBackend';
import {
  CookieJar,
  follow,
  formFields,
  frameMessage,
  jwtPayload,
  step,
} from './__testUtils__/oidcFlow';

jest.setTimeout(3 * BOOT_TIMEOUT_MS);

/** catalog/org.yaml's people are the forge's users with this password (README.md). */
const FORGE_DEV_PASSWORD = 'acme-dev-password';
const XHR = { 'X-Requested-With': 'XMLHttpRequest' };

const forge = testForge();
async function giteaApi(method: string, route: string, body?: object) {
  const res = await fetch(`${forge.baseUrl}/api/v1${route}`, {
    method,
    headers: {
      Authorization: `token ${forge.token}`,
      'Content-Type': 'application/json',
    },
    body: body && JSON.stringify(body),
  });
  if (!res.ok && res.status !== 404)
    throw new Error(`${method} ${route}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? undefined : res.json();
}

/**
 * Signs `user` in through the production backend at `base`: start, the forge's login form, its
 * consent page when shown, and back to the backend's handler/frame. Returns the frame's message and
 * the portal's cookies (the refresh token's).
 */
async function signIn(base: string, user: string, password: string) {
  const portal = new CookieJar();
  const browserAtForge = new CookieJar();
  const start = await step(
    portal,
    `${base}/api/auth/oidc/start?scope=openid%20profile%20email&origin=${encodeURIComponent(
      base,
    )}&env=production`,
  );
  expect(start.status).toBe(302);
  const authorize = start.headers.get('location')!;
  expect(authorize.startsWith(forge.baseUrl)).toBe(true);

  // The forge asks for the password (its login page), then sends the browser on.
  let at = await follow(browserAtForge, authorize, forge.baseUrl);
  expect(at.url).toContain('/user/login');
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
  expect(at.url.startsWith(`${base}/api/auth/oidc/handler/frame?`)).toBe(true);
  const frame = await step(portal, at.url);
  expect(frame.status).toBe(200);
  return { message: frameMessage(await frame.text()), portal };
}

describe('sign-in with app-config.production.yaml, the local forge as the OIDC provider', () => {
  let opa: LocalOpaServer;
  let admin: Knex;
  const stranger = `newcomer-${crypto.randomBytes(3).toString('hex')}`;
  const strangerPassword = crypto.randomBytes(18).toString('base64url');
  let appId: number | undefined;

  beforeAll(async () => {
    opa = await LocalOpaServer.start({
      binary: opaBinary,
      policyDir: path.join(repoRoot, 'policies'),
    });
    admin = knexFactory({
      client: 'pg',
      connection: `${pgUrl}/postgres`,
      pool: { min: 0, max: 1 },
    });
    // someone the forge knows and the catalog does not
    await giteaApi('POST', '/admin/users', {
      username: stranger,
      email: `${stranger}@acme.example`,
      password: strangerPassword,
      must_change_password: false,
    });
  });

  afterAll(async () => {
    await opa?.stop();
    if (appId) await giteaApi('DELETE', `/user/applications/oauth2/${appId}`);
    await giteaApi('DELETE', `/admin/users/${stranger}?purge=true`);
    if (admin) {
      const { rows } = await admin.raw(
        `SELECT datname FROM pg_database WHERE datname LIKE ?`,
        [`${dbPrefix}%`],
      );
      for (const { datname } of rows)
        await admin.raw(`DROP DATABASE IF EXISTS ?? WITH (FORCE)`, [datname]);
      await admin.destroy();
    }
  });

  it('signs dev in with his teams, restores the session, signs him out, and refuses someone the catalog does not know', async () => {
    const port = await freePort();
    const env = productionEnv(port, opa.url);
    const client = await giteaApi('POST', '/user/applications/oauth2', {
      name: `portal-production-test-${port}`,
      redirect_uris: [`${env.PORTAL_BASE_URL}/api/auth/oidc/handler/frame`],
      confidential_client: true,
      skip_secondary_authorization: true,
    });
    appId = client.id;
    env.AUTH_OIDC_METADATA_URL = `${forge.baseUrl}/.well-known/openid-configuration`;
    env.AUTH_OIDC_CLIENT_ID = client.client_id;
    env.AUTH_OIDC_CLIENT_SECRET = client.client_secret;

    const outcome = await run(env, async base => {
      const dev = await signIn(base, 'dev', FORGE_DEV_PASSWORD);
      // what the backend makes of the token: the user and the teams it carries
      const userinfo = await fetch(`${base}/api/auth/v1/userinfo`, {
        headers: {
          Authorization: `Bearer ${dev.message.response?.backstageIdentity?.token}`,
        },
      });
      const refreshed = await step(
        dev.portal,
        `${base}/api/auth/oidc/refresh?env=production`,
        { headers: XHR },
      );
      const refreshedBody = await refreshed.json();
      const logout = await step(
        dev.portal,
        `${base}/api/auth/oidc/logout?env=production`,
        { method: 'POST', headers: { ...XHR, Origin: base } },
      );
      const afterLogout = await step(
        dev.portal,
        `${base}/api/auth/oidc/refresh?env=production`,
        { headers: XHR },
      );
      const unknown = await signIn(base, stranger, strangerPassword);
      return {
        dev: dev.message,
        userinfo: await userinfo.json(),
        refreshed: refreshed.status,
        refreshedToken: refreshedBody.backstageIdentity?.token,
        logout: logout.status,
        afterLogout: afterLogout.status,
        unknown: unknown.message,
      };
    });

    expect(outcome.result).toBe('ready');
    const checks = outcome.checks as any;
    expect(checks.dev.error).toBeUndefined();
    const token = jwtPayload(checks.dev.response.backstageIdentity.token);
    expect(token.sub).toBe('user:default/dev');
    expect(checks.userinfo.claims.sub).toBe('user:default/dev');
    expect(checks.userinfo.claims.ent).toEqual(
      expect.arrayContaining(['user:default/dev', 'group:default/payments']),
    );

    // a reload restores the session; after sign-out it does not
    expect(checks.refreshed).toBe(200);
    expect(jwtPayload(checks.refreshedToken).sub).toBe('user:default/dev');
    expect(checks.logout).toBe(200);
    expect(checks.afterLogout).toBe(401);

    // the forge knows the stranger, the catalog does not: refused, saying so
    expect(checks.unknown.response).toBeUndefined();
    expect(checks.unknown.error.message).toMatch(/^No User in the catalog/);
    expect(checks.unknown.error.message).toContain(stranger);
    // and no secret of the boot reached its output
    for (const key of ['AUTH_OIDC_CLIENT_SECRET', 'AUTH_SESSION_SECRET'])
      expect(outcome.output).not.toContain(env[key]);
  });
});
