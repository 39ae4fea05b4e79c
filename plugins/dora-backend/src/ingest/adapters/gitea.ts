import { InputError } from '@backstage/errors';
import { normalizeGitea } from '../gitea';
import { checkHmacSha256 } from './hmac';
import { WebhookAdapter } from './types';

const SIGNATURE_HEADER = 'x-gitea-signature';

/**
 * Gitea webhooks (of type Gitea; Forgejo sends the same headers beside its X-Forgejo-* ones), as
 * Gitea 1.27's services/webhook/deliver.go sends them: X-Gitea-Signature, the hex HMAC-SHA256 of
 * the body without a prefix (the same digest goes in X-Hub-Signature-256 as sha256=<hex>, but
 * X-Gitea-Signature is the one checked), X-Gitea-Event (push, pull_request, issues, release...;
 * X-Gitea-Event-Type has the finer kind) and X-Gitea-Delivery (a UUID per hook task: a request sent
 * again with it is a duplicate; a replay from Gitea's UI is a new task with a new UUID, whose rows
 * are keyed by what they describe — commit, release, issue — so it changes nothing).
 */
export const giteaAdapter: WebhookAdapter = {
  signatureHeader: SIGNATURE_HEADER,
  eventHeader: 'x-gitea-event',
  checkSignature: (source, proof, body) =>
    checkHmacSha256(SIGNATURE_HEADER, source, proof, body, ''),
  identify(header) {
    const eventType = header('x-gitea-event');
    const deliveryId = header('x-gitea-delivery');
    if (!eventType) throw new InputError('X-Gitea-Event: is missing');
    if (!deliveryId) throw new InputError('X-Gitea-Delivery: is missing');
    return { eventType, deliveryId };
  },
  normalize: (d, options) =>
    normalizeGitea(d.eventType, d.body, d.receivedAt, options),
};
