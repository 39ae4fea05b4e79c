import { InputError } from '@backstage/errors';
import { MAX_CURSOR_LENGTH, PAGE_LIMITS, PagedList } from '../limits';

/** One page of a list, and the cursor of the next page when there may be one. */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** A keyset position: the sort value of the last item a page gave, and its id. */
export interface KeysetCursor {
  at: number;
  id: string;
}

const single = (field: string, value: unknown): string | undefined => {
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw new InputError(`${field}: must be given once, as a plain value`);
  return value;
};

/**
 * `limit` from a query string: a whole number from 1 to the list's maximum, or the list's
 * default when absent. Anything else is a 400 naming the field and the range.
 */
export function parseLimit(list: PagedList, value: unknown): number {
  const { default: fallback, max } = PAGE_LIMITS[list];
  const raw = single('limit', value);
  if (raw === undefined) return fallback;
  if (!/^[0-9]{1,6}$/.test(raw) || Number(raw) < 1 || Number(raw) > max) {
    throw new InputError(`limit: must be a whole number from 1 to ${max}`);
  }
  return Number(raw);
}

/** A cursor that this API gave out, for a list ordered by (time, id). */
export function encodeKeyset(c: KeysetCursor): string {
  return Buffer.from(JSON.stringify([c.at, c.id]), 'utf8').toString(
    'base64url',
  );
}

export function parseKeyset(value: unknown): KeysetCursor | undefined {
  const raw = single('cursor', value);
  if (raw === undefined) return undefined;
  const bad = () =>
    new InputError(
      'cursor: is not a cursor this list gave out (use nextCursor of the previous page)',
    );
  if (
    raw.length === 0 ||
    raw.length > MAX_CURSOR_LENGTH ||
    !/^[A-Za-z0-9_-]+$/.test(raw)
  )
    throw bad();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    !Number.isSafeInteger(parsed[0]) ||
    parsed[0] < 0 ||
    typeof parsed[1] !== 'string' ||
    parsed[1].length > 64
  ) {
    throw bad();
  }
  return { at: parsed[0], id: parsed[1] };
}

/**
 * A cursor that is a position in a numbered sequence (history row ids, log line numbers): a whole
 * number of at most 15 digits. `field` is the query parameter's name (`cursor`, or `after` for logs).
 */
export function parseSequenceCursor(
  field: string,
  value: unknown,
): number | undefined {
  const raw = single(field, value);
  if (raw === undefined) return undefined;
  if (!/^[0-9]{1,15}$/.test(raw))
    throw new InputError(
      `${field}: must be a whole number (the position after which the page starts)`,
    );
  return Number(raw);
}

/** A cursor of a list ordered by name: the last name a page gave. */
export function parseNameCursor(value: unknown): string | undefined {
  const raw = single('cursor', value);
  if (raw === undefined) return undefined;
  if (
    raw.length === 0 ||
    raw.length > MAX_CURSOR_LENGTH ||
    !/^[a-z0-9-]+$/.test(raw)
  ) {
    throw new InputError(
      'cursor: is not a cursor this list gave out (use nextCursor of the previous page)',
    );
  }
  return raw;
}

/**
 * Cuts `rows` (fetched with limit + 1) to a page: when there was one more row than the limit,
 * the page has a next cursor made from its last item.
 */
export function toPage<T>(
  rows: T[],
  limit: number,
  cursorOf: (last: T) => string,
): Page<T> {
  if (rows.length <= limit) return { items: rows };
  const items = rows.slice(0, limit);
  return { items, nextCursor: cursorOf(items[items.length - 1]) };
}
