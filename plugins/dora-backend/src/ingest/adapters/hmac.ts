import { verify } from '@octokit/webhooks-methods';
import type { WebhookSource } from './types';

/**
 * `sha256=<hex HMAC-SHA256 of the body>` with the source's secret (GitHub's scheme, which CDEvents
 * use under their own header), or the bare hex digest when `prefix` is '' (Gitea's
 * X-Gitea-Signature), checked by @octokit/webhooks-methods' verify (timingSafeEqual).
 */
export async function checkHmacSha256(
  header: string,
  source: WebhookSource,
  proof: string,
  body: string,
  prefix: 'sha256=' | '' = 'sha256=',
): Promise<string | undefined> {
  if (
    !proof.startsWith(prefix) ||
    !/^[0-9a-f]{64}$/.test(proof.slice(prefix.length))
  )
    return `${header}: must be ${prefix}<64 hex digits>`;
  let ok = false;
  try {
    ok = await verify(
      source.secret,
      body,
      `sha256=${proof.slice(prefix.length)}`,
    );
  } catch {
    ok = false;
  }
  return ok
    ? undefined
    : `${header}: does not match the body signed with source ${source.id}'s secret`;
}
