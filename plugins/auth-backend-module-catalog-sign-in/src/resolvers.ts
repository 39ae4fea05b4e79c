import { Config } from '@backstage/config';
import { NotFoundError } from '@backstage/errors';
import {
  AuthResolverContext,
  OAuthAuthenticatorResult,
  SignInResolver,
} from '@backstage/plugin-auth-node';
import { OrganisationGate } from './OrganisationGate';
import {
  isNotFound,
  SIGN_IN_WAIT,
  waitForCatalogUser,
} from './waitForCatalogUser';

/**
 * The start of the message when someone signs in but has no catalog User. The sign-in page
 * recognises it and explains what to do (packages/app/src/modules/signIn).
 */
export const NO_CATALOG_USER = 'No User in the catalog';

type Wait = Partial<typeof SIGN_IN_WAIT>;
type Gate = Pick<OrganisationGate, 'check' | 'openedAt'>;

/** The claims an OIDC provider gives about the person (the ID token's and the userinfo's). */
interface OidcResult {
  userinfo?: { email?: string; preferred_username?: string };
}

/**
 * An OIDC account to its catalog User: by email (spec.profile.email), else by username (the
 * User's metadata.name). At a cold start it waits for the catalog (waitForCatalogUser). Someone
 * with no User gets NO_CATALOG_USER, naming the email and username they signed in with.
 */
export function forgeAccountToCatalogUser(
  gate: Gate,
  wait: Wait = {},
): SignInResolver<OAuthAuthenticatorResult<OidcResult>> {
  return async (info, ctx) => {
    const email = info.profile.email ?? info.result.fullProfile.userinfo?.email;
    const username = info.result.fullProfile.userinfo?.preferred_username;
    if (!email && !username) {
      throw new NotFoundError(
        `${NO_CATALOG_USER}: the identity provider gave neither an email nor a username`,
      );
    }
    try {
      return await waitForCatalogUser(
        () => byEmailThenName(ctx, email, username),
        gate,
        wait,
      );
    } catch (error) {
      if (!isNotFound(error)) throw error;
      const who = [username, email && `<${email}>`].filter(Boolean).join(' ');
      throw new NotFoundError(
        `${NO_CATALOG_USER} for ${who}: the catalog has no User with that email or name`,
      );
    }
  };
}

async function byEmailThenName(
  ctx: AuthResolverContext,
  email: string | undefined,
  username: string | undefined,
) {
  if (email) {
    try {
      return await ctx.signInWithCatalogUser({
        filter: { kind: 'User', 'spec.profile.email': email },
      });
    } catch (error) {
      if (!isNotFound(error) || !username) throw error;
    }
  }
  return ctx.signInWithCatalogUser({
    entityRef: { kind: 'User', name: username!.toLowerCase() },
  });
}

/**
 * Guest (development only): the User `auth.providers.guest.userEntityRef`, waited for at a cold
 * start like anyone's; if the catalog has none, a token for that reference alone, as upstream's
 * guest provider does.
 */
export function guestToCatalogUser(
  config: Config,
  gate: Gate,
  wait: Wait = {},
): SignInResolver<unknown> {
  const userRef =
    config.getOptionalString('userEntityRef') ?? 'user:development/guest';
  const ownership = config.getOptionalStringArray('ownershipEntityRefs') ?? [
    userRef,
  ];
  return async (_info, ctx) => {
    try {
      return await waitForCatalogUser(
        () => ctx.signInWithCatalogUser({ entityRef: userRef }),
        gate,
        wait,
      );
    } catch (error) {
      if (!isNotFound(error)) throw error;
      return ctx.issueToken({ claims: { sub: userRef, ent: ownership } });
    }
  };
}
