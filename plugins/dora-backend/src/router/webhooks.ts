import { InputError, NotFoundError } from '@backstage/errors';
import express, { NextFunction, Request, Response } from 'express';
import Router from 'express-promise-router';
import { checkSignature, webhookAdapter } from '../ingest/adapters';
import { DeliveryProcessor } from '../ingest/DeliveryProcessor';
import {
  DEFAULT_WEBHOOK_RATE_LIMIT,
  SourceRateLimiter,
} from '../ingest/rateLimit';
import { WebhookSource } from '../ingest/sources';
import { clip } from '../ingest/text';
import { MAX_ID_LENGTH } from '../limits';
import { DoraStore } from '../store/DoraStore';
import { answerDelivery } from './answerDelivery';
import { HttpError } from './errors';
import { header } from './params';

/** Decodes UTF-8, and refuses bytes that are not (instead of replacing them). */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * POST /webhooks/:source: reachable without Backstage credentials, proven by the source's
 * signature instead. The body is read raw (the signature is over the bytes) and checked before
 * anything is parsed; the source type's adapter (ingest/adapters) names the proof's header and
 * the event type and delivery id.
 */
export function webhooksRouter(options: {
  store: DoraStore;
  processor: Pick<DeliveryProcessor, 'kick'>;
  sources: Map<string, WebhookSource>;
  maxPayloadBytes: number;
  /** Counts webhook requests per source (default: a new one, on the real clock). */
  rateLimiter?: SourceRateLimiter;
  processImmediately: boolean;
  now: () => number;
}): express.Router {
  const { store, processor, sources } = options;
  const router = Router();
  const limiter = options.rateLimiter ?? new SourceRateLimiter();

  /** Each source's requests are counted before their body is read; over its limit, a 429 with Retry-After. */
  const rateLimited = (req: Request, res: Response, next: NextFunction) => {
    const source = sources.get(req.params.source);
    if (!source) {
      next(
        new NotFoundError(
          `source: no webhook source named '${clip(
            req.params.source,
          )}' is configured under dora.sources`,
        ),
      );
      return;
    }
    const limit = source.rateLimit ?? DEFAULT_WEBHOOK_RATE_LIMIT;
    const refused = limiter.take(source.id, limit);
    if (!refused) {
      next();
      return;
    }
    res.setHeader('Retry-After', String(refused.retryAfterSeconds));
    next(
      new HttpError(
        429,
        'TooManyRequestsError',
        `source: ${source.id} may send at most ${limit.requests} requests in ${limit.windowSeconds} s (dora.sources[].rateLimit); retry after ${refused.retryAfterSeconds} s`,
      ),
    );
  };

  router.post(
    '/webhooks/:source',
    rateLimited,
    express.raw({ type: () => true, limit: options.maxPayloadBytes }),
    async (req, res) => {
      const source = sources.get(req.params.source)!;
      const adapter = webhookAdapter(source.type);
      // decoded once: the signature, the JSON and the stored payload all use this text; bytes that are
      // not UTF-8 would be changed by decoding (and then fail the signature for the wrong reason)
      let text = '';
      try {
        text = Buffer.isBuffer(req.body) ? utf8.decode(req.body) : '';
      } catch {
        throw new InputError('body: must be UTF-8 text (JSON)');
      }
      const problem = await checkSignature(
        source,
        header(req, adapter.signatureHeader),
        text,
      );
      if (problem) throw new HttpError(401, 'AuthenticationError', problem);
      let body: any;
      try {
        body = JSON.parse(text);
      } catch (e) {
        throw new InputError(
          `body: must be valid JSON (${(e as Error).message})`,
        );
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body))
        throw new InputError('body: must be a JSON object');

      const { eventType, deliveryId } = adapter.identify(
        name => header(req, name),
        body,
      );
      if (deliveryId.length > MAX_ID_LENGTH)
        throw new InputError(
          `delivery id: must be at most ${MAX_ID_LENGTH} characters`,
        );
      if (eventType.length > MAX_ID_LENGTH)
        throw new InputError(
          `event type: must be at most ${MAX_ID_LENGTH} characters`,
        );

      const stored = await store.deliveries.insert({
        source: source.id,
        sourceType: source.type,
        deliveryId,
        eventType,
        payload: text,
        receivedAt: options.now(),
      });
      if (!stored.duplicate && options.processImmediately) processor.kick();
      // Not audited one by one: webhook deliveries have no Backstage actor, and the stored raw
      // delivery (source, id, time, body, status) is their record.
      answerDelivery(res, stored, deliveryId);
    },
  );

  return router;
}
