import { verify } from '@octokit/webhooks-methods';
import { createHash, timingSafeEqual } from 'node:crypto';
import { WebhookSource } from './sources';

/** The header a source's proof travels in. CDEvents use GitHub's scheme under their own header. */
export const SIGNATURE_HEADERS: Record<WebhookSource['type'], string> = {
  github: 'x-hub-signature-256',
  gitlab: 'x-gitlab-token',
  cdevents: 'x-cdevents-signature-256',
};

/**
 * Checks a delivery's proof against the source's secret (the body as received, decoded as UTF-8), in constant time. Returns undefined when it
 * holds, else the reason (for the 401). GitHub and CDEvents: `sha256=<hex HMAC-SHA256 of the raw
 * body>` (@octokit/webhooks-methods' verify, which compares with timingSafeEqual); GitLab: the
 * X-Gitlab-Token shared secret, compared as SHA-256 digests so lengths never leak.
 */
export async function checkSignature(
  source: WebhookSource,
  header: string | undefined,
  body: string,
): Promise<string | undefined> {
  const name = SIGNATURE_HEADERS[source.type];
  if (!header)
    return `${name}: is missing; deliveries to source ${source.id} must be signed`;
  if (source.type === 'gitlab') {
    const a = createHash('sha256').update(header).digest();
    const b = createHash('sha256').update(source.secret).digest();
    return timingSafeEqual(a, b)
      ? undefined
      : `${name}: does not match source ${source.id}'s secret token`;
  }
  if (!/^sha256=[0-9a-f]{64}$/.test(header))
    return `${name}: must be sha256=<64 hex digits>`;
  let ok = false;
  try {
    ok = await verify(source.secret, body, header);
  } catch {
    ok = false;
  }
  return ok
    ? undefined
    : `${name}: does not match the body signed with source ${source.id}'s secret`;
}
