import { InputError } from '@backstage/errors';
import { createHash, timingSafeEqual } from 'node:crypto';
import { normalizeGitlab } from '../gitlab';
import { WebhookAdapter } from './types';

const SIGNATURE_HEADER = 'x-gitlab-token';

/**
 * GitLab webhooks: the X-Gitlab-Token shared secret (compared as SHA-256 digests, so lengths never
 * leak), X-Gitlab-Event (else the body's object_kind) and X-Gitlab-Event-UUID (else
 * Idempotency-Key).
 */
export const gitlabAdapter: WebhookAdapter = {
  signatureHeader: SIGNATURE_HEADER,
  eventHeader: 'x-gitlab-event',
  async checkSignature(source, proof) {
    const a = createHash('sha256').update(proof).digest();
    const b = createHash('sha256').update(source.secret).digest();
    return timingSafeEqual(a, b)
      ? undefined
      : `${SIGNATURE_HEADER}: does not match source ${source.id}'s secret token`;
  },
  identify(header, body) {
    const eventType = header('x-gitlab-event') ?? body.object_kind;
    const deliveryId =
      header('x-gitlab-event-uuid') ?? header('idempotency-key');
    if (!eventType) throw new InputError('X-Gitlab-Event: is missing');
    if (!deliveryId) throw new InputError('X-Gitlab-Event-UUID: is missing');
    return { eventType, deliveryId };
  },
  normalize: (d, options) => normalizeGitlab(d.body, d.receivedAt, options),
};
