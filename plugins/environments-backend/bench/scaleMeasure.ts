/*
 * The scale benchmark's measurements (bench/scale.bench.ts), each beside its baseline in the same
 * database: the lists through the REST router (every page) against one SQL query of the same rows,
 * a reaper pass (the plugin's scheduled task) against the query that finds expired environments,
 * a drift-check pass (the plugin's scheduled task, its refresh runs worked one at a time) against
 * plain `tofu plan -refresh-only` of the same folders and state, one after another.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { BENCH_TEAM, BENCH_USER, ScaleBackend } from './scaleBackend';

const run = promisify(execFile);

/** The median (the mean of the two middle values for an even count). */
export function p50(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const value = await fn();
  return [performance.now() - t, value];
}

export const rssMb = () => process.memoryUsage().rss / 2 ** 20;

/** The baselines of the lists: the rows of each list, newest first, in one query. */
export const LIST_SQL = {
  team: 'SELECT * FROM environments WHERE owner IN (?, ?) ORDER BY created_at DESC, id DESC',
  all: 'SELECT * FROM environments ORDER BY created_at DESC, id DESC',
};
/** The baseline of the reaper: the active environments whose expiry has passed. */
export const EXPIRED_SQL =
  'SELECT * FROM environments WHERE state = ? AND expires_at <= ?';

const rowsOf = (result: any): Array<{ id: string }> =>
  Array.isArray(result) ? result : result.rows;

export async function listBaseline(
  b: ScaleBackend,
  scope: 'team' | 'all',
): Promise<string[]> {
  const rows = rowsOf(
    scope === 'team'
      ? await b.knex.raw(LIST_SQL.team, [BENCH_USER, BENCH_TEAM])
      : await b.knex.raw(LIST_SQL.all),
  );
  return rows.map(r => r.id);
}

export async function expiredBaseline(b: ScaleBackend): Promise<number> {
  return rowsOf(await b.knex.raw(EXPIRED_SQL, ['active', new Date()])).length;
}

/** Every page of GET /environments?scope=`scope` (the default page size), following nextCursor. */
export async function listEveryPage(b: ScaleBackend, scope: 'team' | 'all') {
  const ids: string[] = [];
  const pageMs: number[] = [];
  let cursor: string | undefined;
  do {
    const url = `/environments?scope=${scope}${
      cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
    }`;
    const [ms, res] = await timed(async () => b.get(url));
    if (res.status !== 200)
      throw new Error(
        `list ${scope}: ${res.status} ${JSON.stringify(res.body)}`,
      );
    pageMs.push(ms);
    ids.push(...res.body.items.map((e: { id: string }) => e.id));
    cursor = res.body.nextCursor;
  } while (cursor);
  return { ids, pageMs };
}

/**
 * Every page of the all-environments list straight from the store (the query the route runs, no
 * HTTP or permission), each page timed: a keyset page should cost the same wherever it is.
 */
export async function storePages(b: ScaleBackend): Promise<number[]> {
  const ms: number[] = [];
  let cursor: { at: number; id: string } | undefined;
  for (;;) {
    const page = { limit: 50, cursor };
    const [t, rows] = await timed(() => b.store.listPage({}, page));
    ms.push(t);
    if (rows.length <= 50) return ms;
    const last = rows[49];
    cursor = { at: last.createdAt.getTime(), id: last.id };
  }
}

/** One drift-check pass: the plugin's task queues a refresh run per active environment; one worker works them. */
export async function driftPass(b: ScaleBackend): Promise<number> {
  await b.trigger('environments-drift');
  return b.worker.drain();
}

/** Plain `tofu plan -refresh-only` in each environment's folder, with its state, one after another. */
export async function driftBaseline(
  b: ScaleBackend,
  ids: string[],
): Promise<void> {
  const env = b.runner.environment({});
  for (const id of ids)
    await run(b.tofu, ['plan', '-refresh-only', '-input=false', '-no-color'], {
      cwd: b.runner.workdir(id),
      env,
    });
}

/** How many environments are in each state. */
export async function states(b: ScaleBackend): Promise<Record<string, number>> {
  const rows: Array<{ state: string; n: number | string }> = await b
    .knex('environments')
    .select('state')
    .count({ n: '*' })
    .groupBy('state');
  return Object.fromEntries(rows.map(r => [r.state, Number(r.n)]));
}
