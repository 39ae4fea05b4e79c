import express from 'express';
import Router from 'express-promise-router';
import { ToolInventory } from './ToolInventory';

export async function createRouter(options: {
  inventory: ToolInventory;
}): Promise<express.Router> {
  const router = Router();

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  /** The external tools the backend found, with their versions. */
  router.get('/info', async (_req, res) => {
    res.json({ tools: await options.inventory.list() });
  });

  return router;
}
