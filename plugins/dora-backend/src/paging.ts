import { z } from 'zod';
import { DEFAULT_PAGE_SIZE, MAX_OFFSET, MAX_PAGE_SIZE } from './limits';

/** `limit` and `offset` of a list request; a limit above MAX_PAGE_SIZE is a 400 naming `limit`. */
export const pageQuery = z.object({
  limit: z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE} (the largest page)`)
    .default(DEFAULT_PAGE_SIZE),
  offset: z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(0, 'must be at least 0')
    .max(MAX_OFFSET, `must be at most ${MAX_OFFSET}`)
    .default(0),
});

export type PageQuery = z.infer<typeof pageQuery>;

/**
 * One page of rows read with `limit + 1` (the extra row only says that there is more): the rows
 * and, when there is more, where the next page starts.
 */
export function pageOf<T>(
  rows: T[],
  q: PageQuery,
): { items: T[]; nextOffset?: number } {
  if (rows.length <= q.limit) return { items: rows };
  return { items: rows.slice(0, q.limit), nextOffset: q.offset + q.limit };
}

/** One page of a list held in memory (a short one: from config or git, or already aggregated). */
export function pageOfList<T>(
  all: T[],
  q: PageQuery,
): { items: T[]; nextOffset?: number } {
  return pageOf(all.slice(q.offset, q.offset + q.limit + 1), q);
}
