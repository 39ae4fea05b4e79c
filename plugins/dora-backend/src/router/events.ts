import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import { createHash } from 'node:crypto';
import { apiEventSchema } from '../ingest/api';
import { DeliveryProcessor } from '../ingest/DeliveryProcessor';
import { MAX_ID_LENGTH } from '../limits';
import { DoraStore } from '../store/DoraStore';
import { Access } from './access';
import { answerDelivery } from './answerDelivery';
import { header, parseInput } from './params';

/**
 * POST /events: the JSON API for CI systems. Service credentials only (a static external access
 * token); the sender recorded is the principal of those credentials, never the body.
 */
export function eventsRouter(options: {
  store: DoraStore;
  processor: Pick<DeliveryProcessor, 'kick'>;
  httpAuth: HttpAuthService;
  access: Pick<Access, 'audit'>;
  maxPayloadBytes: number;
  processImmediately: boolean;
  now: () => number;
}): express.Router {
  const { store, processor, httpAuth, access } = options;
  const router = Router();

  router.post(
    '/events',
    express.json({ limit: options.maxPayloadBytes, strict: false }),
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, {
        allow: ['service'],
      });
      const event = parseInput(apiEventSchema, req.body);
      const payload = JSON.stringify(event);
      const deliveryId =
        header(req, 'idempotency-key') ??
        createHash('sha256').update(payload).digest('hex');
      if (deliveryId.length > MAX_ID_LENGTH)
        throw new InputError(
          `Idempotency-Key: must be at most ${MAX_ID_LENGTH} characters`,
        );
      const sender =
        (credentials.principal as { subject?: string }).subject ?? 'service';
      const stored = await store.deliveries.insert({
        source: 'api',
        sourceType: 'api',
        deliveryId,
        eventType: event.type,
        payload,
        sender,
        receivedAt: options.now(),
      });
      if (!stored.duplicate && options.processImmediately) processor.kick();
      await access.audit('dora-delivery-received', req, {
        source: 'api',
        sender,
        deliveryId,
        eventType: event.type,
        delivery: stored.id,
        duplicate: stored.duplicate,
      });
      answerDelivery(res, stored, deliveryId);
    },
  );

  return router;
}
