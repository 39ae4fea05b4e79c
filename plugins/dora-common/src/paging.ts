/**
 * Paging of the dora API's lists. Every list endpoint takes `limit` (1 to DORA_MAX_PAGE_SIZE,
 * default DORA_DEFAULT_PAGE_SIZE) and `offset` (default 0), and answers `nextOffset` when there is
 * more: ask again with `offset=<nextOffset>`. A `limit` above the maximum is a 400 naming `limit`.
 */

/** The most items one page returns. */
export const DORA_MAX_PAGE_SIZE = 500;

/** The page size when a request names no `limit`. */
export const DORA_DEFAULT_PAGE_SIZE = 100;

/** The largest offset accepted (a whole number of items to skip). */
export const DORA_MAX_OFFSET = 1_000_000_000;

/** What a page says about the next one: absent on the last page. */
export interface DoraPage {
  nextOffset?: number;
}
