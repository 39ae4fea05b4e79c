import { verify } from '@octokit/webhooks-methods';
import type { WebhookSource } from './types';

/**
 * `sha256=<hex HMAC-SHA256 of the body>` with the source's secret (GitHub's scheme, which CDEvents
 * use under their own header), checked by @octokit/webhooks-methods' verify (timingSafeEqual).
 */
export async function checkHmacSha256(
  header: string,
  source: WebhookSource,
  proof: string,
  body: string,
): Promise<string | undefined> {
  if (!/^sha256=[0-9a-f]{64}$/.test(proof))
    return `${header}: must be sha256=<64 hex digits>`;
  let ok = false;
  try {
    ok = await verify(source.secret, body, proof);
  } catch {
    ok = false;
  }
  return ok
    ? undefined
    : `${header}: does not match the body signed with source ${source.id}'s secret`;
}
