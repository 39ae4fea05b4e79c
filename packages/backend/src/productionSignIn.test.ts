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
 * catalog User is refused with the message the sign-in page explains. And a second boot, on
 * databases of its own, signs dev in the moment its sign-in answers, before the catalog has
 * necessarily ingested the organisation: the token still carries his team (the sign-in waits for
 * his User).
 */
import crypto from 'node:crypto';
import { LocalOpaServer } from '@internal/plugin-opa-node';
import { freePort } from '@internal/plugin-platform-node';
import { testForge } from '@internal/backend-test-utils';
import {
  BOOT_TIMEOUT_MS,
  dbPrefix,
  boot,
  productionEnv,
  run,
  stop,
  startProductionStack,
} from './__testUtils__/productionBackend';
import { jwtPayload, step } from './__testUtils__/oidcFlow';
import {
  claimsOf,
  FORGE_DEV_PASSWORD,
  forgeOAuthApp,
  signIn as signInAt,
  signInEnv,
  XHR,
} from './__testUtils__/signInOverHttp';

jest.setTimeout(3 * BOOT_TIMEOUT_MS);

const forge = testForge();
const signIn = (base: string, user: string, password = FORGE_DEV_PASSWORD) =>
  signInAt(forge, base, user, password);

describe('sign-in with app-config.production.yaml, the local forge as the OIDC provider', () => {
  let stack: Awaited<ReturnType<typeof startProductionStack>>;
  let opa: LocalOpaServer;
  const stranger = `newcomer-${crypto.randomBytes(3).toString('hex')}`;
  const strangerPassword = crypto.randomBytes(18).toString('base64url');
  let app: Awaited<ReturnType<typeof forgeOAuthApp>> | undefined;
  /** Two boots, each on its own port, and the forge's OAuth2 application for both. */
  let ports: number[];
  const envFor = (port: number): Record<string, string> => ({
    ...productionEnv(port, opa.url),
    ...signInEnv(forge, app!),
  });

  beforeAll(async () => {
    stack = await startProductionStack();
    opa = stack.opa;
    // someone the forge knows and the catalog does not
    await forge.call('POST', '/admin/users', {
      username: stranger,
      email: `${stranger}@acme.example`,
      password: strangerPassword,
      must_change_password: false,
    });
    ports = [await freePort(), await freePort()];
    app = await forgeOAuthApp(forge, 'portal-production-test', ports);
  });

  afterAll(async () => {
    await app?.delete();
    await forge.call('DELETE', `/admin/users/${stranger}?purge=true`);
    await stack?.stop();
  });

  it('signs dev in with his teams, restores the session, signs him out, and refuses someone the catalog does not know', async () => {
    const env = envFor(ports[0]);
    const outcome = await run(env, async base => {
      const dev = await signIn(base, 'dev', FORGE_DEV_PASSWORD);
      const claims = await claimsOf(base, dev.message);
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
        claims,
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
    expect(checks.claims.sub).toBe('user:default/dev');
    expect(checks.claims.ent).toEqual(
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
  it("issues a token that carries dev's team right after a cold start, on databases of its own", async () => {
    const env = envFor(ports[1]);
    // fresh databases: nothing ingested yet
    env.APP_CONFIG_backend_database_prefix = `${dbPrefix}cold_`;
    const base = env.PORTAL_BASE_URL;
    const b = boot(env);
    try {
      // the first moment the sign-in answers (its start redirects to the provider), dev signs in
      const deadline = Date.now() + BOOT_TIMEOUT_MS;
      for (;;) {
        const start = await fetch(
          `${base}/api/auth/oidc/start?env=production`,
          { redirect: 'manual' },
        ).catch(() => undefined);
        if (start?.status === 302) break;
        if (Date.now() > deadline || b.child.exitCode !== null)
          throw new Error(
            `no sign-in to try; the backend said:\n${b.output()}`,
          );
        await new Promise(r => setTimeout(r, 200));
      }
      const readiness = await fetch(`${base}/.backstage/health/v1/readiness`);
      const dev = await signIn(base, 'dev', FORGE_DEV_PASSWORD);
      const claims = await claimsOf(base, dev.message);
      expect({ readiness: readiness.status, claims }).toEqual({
        readiness: expect.any(Number),
        claims: {
          sub: 'user:default/dev',
          ent: expect.arrayContaining(['group:default/payments']),
        },
      });
    } finally {
      await stop(b);
    }
  });
});
