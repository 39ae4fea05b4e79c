import { Knex } from 'knex';

/** A keyset position in a list ordered by creation: the last row of the previous page. */
export interface CreatedCursor {
  /** created_at, in milliseconds since the epoch */
  at: number;
  id: string;
}

/** A page request of a list ordered by creation: at most `limit` rows after `cursor`. */
export interface CreatedPage {
  limit: number;
  cursor?: CreatedCursor;
}

/**
 * Newest first (created_at, then id, both descending), after the keyset `cursor`: the last row of
 * the previous page. Rows with the same created_at are told apart by their id, so that a page
 * neither skips nor repeats them.
 */
export function newestFirstAfter(
  q: Knex.QueryBuilder,
  cursor?: CreatedCursor,
): Knex.QueryBuilder {
  q.orderBy([
    { column: 'created_at', order: 'desc' },
    { column: 'id', order: 'desc' },
  ]);
  if (cursor) {
    const at = new Date(cursor.at);
    // created_at <= at first: the bound an index on (created_at, id) seeks to, so that a page reads
    // its own rows only. The OR alone is a filter, and PostgreSQL read (and dropped) every row of
    // the pages before it, which made listing every page quadratic in the rows.
    q.andWhere('created_at', '<=', at).andWhere(w =>
      w
        .where('created_at', '<', at)
        .orWhere(x =>
          x.where('created_at', '=', at).andWhere('id', '<', cursor.id),
        ),
    );
  }
  return q;
}

/**
 * A page of `q`, newest first after `page.cursor`: at most `limit` + 1 rows, so that the caller
 * can tell whether there is a next page.
 */
export function newestFirstPage(
  q: Knex.QueryBuilder,
  page: CreatedPage,
): Knex.QueryBuilder {
  return newestFirstAfter(q, page.cursor).limit(page.limit + 1);
}
