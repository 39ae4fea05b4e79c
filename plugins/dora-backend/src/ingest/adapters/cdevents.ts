import { InputError } from '@backstage/errors';
import { normalizeCdevent } from '../cdevents';
import { checkHmacSha256 } from './hmac';
import { WebhookAdapter } from './types';

const SIGNATURE_HEADER = 'x-cdevents-signature-256';

/**
 * CDEvents: an HMAC-SHA256 like GitHub's in X-CDEvents-Signature-256; the event type and id are
 * the event's own context.type and context.id (no event header).
 */
export const cdeventsAdapter: WebhookAdapter = {
  signatureHeader: SIGNATURE_HEADER,
  checkSignature: (source, proof, body) =>
    checkHmacSha256(SIGNATURE_HEADER, source, proof, body),
  identify(_header, body) {
    const eventType =
      typeof body.context?.type === 'string' ? body.context.type : undefined;
    const deliveryId =
      typeof body.context?.id === 'string' ? body.context.id : undefined;
    if (!eventType)
      throw new InputError('context.type: is required in a CDEvent');
    if (!deliveryId)
      throw new InputError('context.id: is required in a CDEvent');
    return { eventType, deliveryId };
  },
  normalize: d => normalizeCdevent(d.body),
};
