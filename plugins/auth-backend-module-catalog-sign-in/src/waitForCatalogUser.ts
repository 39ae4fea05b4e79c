import { OrganisationGate } from './OrganisationGate';

/**
 * How long a sign-in waits for its catalog User at a cold start. Every sign-in limit is here.
 * - `settleMs`: after the organisation gate opens, the catalog may still be ingesting the rest of
 *   the people; for this long, a missing User is waited for rather than refused.
 * - `waitMs`: the longest one sign-in waits; `pollMs`: how often it asks the catalog again.
 */
export const SIGN_IN_WAIT = { settleMs: 30_000, waitMs: 30_000, pollMs: 1_000 };

/**
 * Whether the catalog found no such User. By name, not instanceof: the auth plugin may throw its
 * own copy of @backstage/errors' NotFoundError.
 */
export const isNotFound = (error: unknown) =>
  (error as Error)?.name === 'NotFoundError';

/**
 * Runs `signIn` (a catalog lookup that throws NotFoundError when there is no such User) and, while
 * the catalog may still be ingesting the organisation (its gate closed, or open for less than
 * `settleMs`), tries again every `pollMs` for up to `waitMs`. After that, or once the catalog has
 * settled, the NotFoundError stands: the person has no User in the catalog.
 */
export async function waitForCatalogUser<T>(
  signIn: () => Promise<T>,
  gate: Pick<OrganisationGate, 'check' | 'openedAt'>,
  options: Partial<typeof SIGN_IN_WAIT> & { now?: () => number } = {},
): Promise<T> {
  const { settleMs, waitMs, pollMs } = { ...SIGN_IN_WAIT, ...options };
  const now = options.now ?? Date.now;
  const deadline = now() + waitMs;
  for (;;) {
    try {
      return await signIn();
    } catch (error) {
      if (!isNotFound(error)) throw error;
      const open = await gate.check().catch(() => false);
      const openedAt = gate.openedAt();
      const settled =
        open && openedAt !== undefined && now() - openedAt >= settleMs;
      if (settled || now() + pollMs > deadline) throw error;
      await new Promise(resolve => setTimeout(resolve, pollMs));
    }
  }
}
