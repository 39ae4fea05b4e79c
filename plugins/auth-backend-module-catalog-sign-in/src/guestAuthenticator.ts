import { NotAllowedError } from '@backstage/errors';
import { createProxyAuthenticator } from '@backstage/plugin-auth-node';

/**
 * Upstream's guest authenticator (plugin-auth-backend-module-guest-provider, which does not export
 * it): anyone is "guest", in development only unless the config dangerously allows otherwise.
 */
export const guestAuthenticator = createProxyAuthenticator({
  defaultProfileTransform: async () => ({ profile: {} }),
  initialize({ config }) {
    const allowOutsideDev = config.getOptionalBoolean(
      'dangerouslyAllowOutsideDevelopment',
    );
    return process.env.NODE_ENV !== 'development' && allowOutsideDev !== true;
  },
  async authenticate(_, disabled) {
    if (disabled) {
      throw new NotAllowedError(
        "The guest provider cannot be used outside of a development environment unless 'auth.providers.guest.dangerouslyAllowOutsideDevelopment' is enabled",
      );
    }
    return { result: {} };
  },
});
