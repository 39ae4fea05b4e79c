import type { Page } from '../api';

/**
 * The first `pages` pages of a list the API pages with a cursor, joined: what a table that has
 * loaded that many pages shows. `nextCursor` is set when there is more after them.
 */
export async function loadPages<T>(
  list: (cursor?: string) => Promise<Page<T>>,
  pages: number,
): Promise<Page<T>> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let n = 0; n < pages; n++) {
    const page = await list(cursor);
    items.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return { items, nextCursor: cursor };
}
