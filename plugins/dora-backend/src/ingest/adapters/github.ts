import { InputError } from '@backstage/errors';
import { normalizeGithub } from '../github';
import { checkHmacSha256 } from './hmac';
import { WebhookAdapter } from './types';

const SIGNATURE_HEADER = 'x-hub-signature-256';

/** GitHub webhooks: X-Hub-Signature-256, X-GitHub-Event and X-GitHub-Delivery. */
export const githubAdapter: WebhookAdapter = {
  signatureHeader: SIGNATURE_HEADER,
  eventHeader: 'x-github-event',
  checkSignature: (source, proof, body) =>
    checkHmacSha256(SIGNATURE_HEADER, source, proof, body),
  identify(header) {
    const eventType = header('x-github-event');
    const deliveryId = header('x-github-delivery');
    if (!eventType) throw new InputError('X-GitHub-Event: is missing');
    if (!deliveryId) throw new InputError('X-GitHub-Delivery: is missing');
    return { eventType, deliveryId };
  },
  normalize: (d, options) =>
    normalizeGithub(d.eventType, d.body, d.receivedAt, options),
};
