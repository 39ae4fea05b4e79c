import {
  doraDeliveriesReadPermission,
  doraDeliveriesRetryPermission,
} from '@internal/plugin-dora-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { DeliveryProcessor } from '../ingest/DeliveryProcessor';
import { pageOf, pageQuery } from '../paging';
import { DoraStore } from '../store/DoraStore';
import { Access } from './access';
import { deliveryIdParam, parseInput } from './params';

const deliveriesQuery = pageQuery.extend({
  status: z
    .enum(['pending', 'processing', 'processed', 'ignored', 'failed'], {
      error: 'must be one of pending, processing, processed, ignored, failed',
    })
    .optional(),
  source: z
    .string({ error: 'must be a source id' })
    .max(100, 'must be at most 100 characters')
    .optional(),
});

/** The stored raw deliveries: listed (paged, with counts by status), read, and sent through normalising again. */
export function deliveriesRouter(options: {
  store: DoraStore;
  processor: Pick<DeliveryProcessor, 'kick'>;
  access: Pick<Access, 'authorize' | 'audit'>;
}): express.Router {
  const { store, processor, access } = options;
  const router = Router();

  router.get('/deliveries', async (req, res) => {
    await access.authorize(req, doraDeliveriesReadPermission);
    const q = parseInput(deliveriesQuery, req.query);
    const rows = await store.deliveries.list({ ...q, limit: q.limit + 1 });
    res.json({ ...pageOf(rows, q), counts: await store.deliveries.count() });
  });

  router.get('/deliveries/:id', async (req, res) => {
    await access.authorize(req, doraDeliveriesReadPermission);
    const id = deliveryIdParam(req);
    res.json({ delivery: await store.deliveries.get(id) });
  });

  router.post('/deliveries/:id/retry', async (req, res) => {
    await access.authorize(req, doraDeliveriesRetryPermission);
    const id = deliveryIdParam(req);
    await store.deliveries.requeue(id);
    processor.kick();
    await access.audit(
      'dora-delivery-retried',
      req,
      { delivery: id },
      'medium',
    );
    const { payload, ...delivery } = await store.deliveries.get(id);
    res.status(202).json({ delivery });
  });

  return router;
}
