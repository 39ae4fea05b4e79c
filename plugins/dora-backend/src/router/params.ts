import { InputError } from '@backstage/errors';
import { Request } from 'express';
import { z } from 'zod';
import { DEFAULT_WINDOW_DAYS, MAX_WINDOW_DAYS } from '../limits';

export { parseInput } from '@internal/plugin-platform-node';

/** A request header's (first) value. */
export const header = (req: Request, name: string) => {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};

/** The `:id` of a delivery route: a whole number from 1. */
export function deliveryIdParam(req: Request): number {
  const id = Number(req.params.id);
  if (!Number.isSafeInteger(id) || id < 1)
    throw new InputError('id: must be a delivery id (a whole number from 1)');
  return id;
}

/** `window` (days, default DEFAULT_WINDOW_DAYS) and `at` (the window's end, default now) of a metrics query. */
export const windowQuery = z.object({
  window: z.coerce
    .number()
    .int('must be a whole number of days')
    .min(1, 'must be at least 1')
    .max(MAX_WINDOW_DAYS, `must be at most ${MAX_WINDOW_DAYS}`)
    .default(DEFAULT_WINDOW_DAYS),
  at: z.iso
    .datetime({ offset: true, error: 'must be an ISO 8601 time with a zone' })
    .optional(),
});

/** `at` as a Date, when given. */
export const atDate = (at?: string) => (at ? new Date(at) : undefined);

/** An entity ref of a kind (`component`, `group`, `template`) or of any kind. */
export const entityRef = (kind?: string) =>
  new RegExp(`^${kind ?? '[a-z]+'}:[a-z0-9-_.]+\\/[a-z0-9-_.]+$`, 'i');

/** An optional `team` or `teamRef`: a group entity ref. */
export const groupRefParam = z
  .string({ error: 'must be a group entity ref' })
  .regex(entityRef('group'), 'must be a group entity ref')
  .optional();
