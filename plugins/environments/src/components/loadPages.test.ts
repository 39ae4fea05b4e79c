import { loadPages } from './loadPages';

/** A list of 1..total paged by `size`, its cursor the last item's number. */
function pagedList(total: number, size: number) {
  const calls: Array<string | undefined> = [];
  const list = async (cursor?: string) => {
    calls.push(cursor);
    const from = cursor ? Number(cursor) : 0;
    const items = Array.from(
      { length: Math.max(0, Math.min(size, total - from)) },
      (_, i) => from + i + 1,
    );
    const last = from + items.length;
    return { items, nextCursor: last < total ? String(last) : undefined };
  };
  return { list, calls };
}

describe('loadPages', () => {
  it('joins the first pages, following the cursor, and says where the rest starts', async () => {
    const { list, calls } = pagedList(7, 3);
    expect(await loadPages(list, 2)).toEqual({
      items: [1, 2, 3, 4, 5, 6],
      nextCursor: '6',
    });
    expect(calls).toEqual([undefined, '3']);
  });

  it('stops at the last page', async () => {
    const { list, calls } = pagedList(4, 3);
    expect(await loadPages(list, 5)).toEqual({
      items: [1, 2, 3, 4],
      nextCursor: undefined,
    });
    expect(calls).toEqual([undefined, '3']);
  });
});
