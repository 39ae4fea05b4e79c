/*
 * MetricsStore on PostgreSQL 15 and SQLite: the counts and recovery samples of two windows in one
 * statement, and lead times from the daily rows with the links of the days a boundary cuts (one
 * statement on PostgreSQL), for a component, a team and the organisation.
 */
import {
  changeEvent,
  componentOf,
  deploy,
  freshStore,
  h,
  HOUR,
  incidentEvent,
  ORG,
  PAY,
  SHOP,
  storeDatabases,
  teamOf,
} from '../__testUtils__/doraRows';
import { DoraStore } from './DoraStore';
import { LeadTimeSamples, MetricWindows } from './MetricsStore';

const databases = storeDatabases();

/** Each window's lead times in hours, sorted, and how many parts they came in. */
const hoursOf = (s: LeadTimeSamples) => {
  const sorted = (parts: Float64Array[]) =>
    parts.flatMap(p => [...p].map(v => v / HOUR)).sort((a, b) => a - b);
  return { current: sorted(s.current), previous: sorted(s.previous) };
};

describe.each(databases.eachSupportedId())('MetricsStore on %p', databaseId => {
  let store: DoraStore;
  /** Whole days: [0 h, 24 h) and [24 h, 48 h). */
  const days: MetricWindows = { prevFrom: h(0), from: h(24), to: h(48) };
  /** Boundaries that cut days 0, 1 and 2: [12 h, 36 h) and [36 h, 60.5 h). */
  const cut: MetricWindows = { prevFrom: h(12), from: h(36), to: h(60.5) };

  beforeAll(async () => {
    store = await freshStore(databases, databaseId);
    await deploy(store, [
      ['d1', 5, PAY],
      ['d2', 30, PAY],
      ['s1', 31, SHOP],
      ['d3', 40, PAY],
      ['d4', 60, PAY],
    ]);
    await store.transaction(async tx => {
      for (const [id, startH, endH] of [
        ['i3', 10, 11],
        ['i1', 31, 33],
        ['i2', 50, undefined],
      ] as const)
        await store.incidents.upsert(
          tx,
          id,
          incidentEvent(id, startH, endH),
          PAY,
        );
      // the changes the links below name (lead times are given there)
      for (const sha of ['c1', 'c2', 'c3', 'c4', 'c5'])
        await store.changes.upsert(tx, changeEvent(sha, 0, 0), PAY, {
          revert: false,
          hotfix: false,
        });
      await store.changes.upsert(
        tx,
        changeEvent('c6', 0, 0, { repo: 'acme/shop' }),
        SHOP,
        { revert: false, hotfix: false },
      );
    });
    const link = (deploymentId: string, changeId: string, hours: number) => ({
      deploymentId,
      changeId: changeId === 'c6' ? 'acme/shop@c6' : `acme/pay@${changeId}`,
      linkedBy: 'deployed-sha' as const,
      leadTimeMs: hours * HOUR,
    });
    const pay = await store.loadSubject(PAY.subject);
    await store.replaceLinks(PAY.subject, pay.deployments, {
      changeLinks: [
        link('d1', 'c1', 1),
        link('d1', 'c2', 2),
        link('d2', 'c3', 3),
        link('d3', 'c4', 4),
        link('d4', 'c5', 5),
      ],
      incidentLinks: [],
      flags: [
        { deploymentId: 'd2', failure: 'incident' },
        { deploymentId: 'd3', rework: 'revert' },
        {
          deploymentId: 'd4',
          failure: 'rolled-back',
          recoveredAt: h(62),
          rolledBackBy: 'd5',
        },
      ],
    });
    const shop = await store.loadSubject(SHOP.subject);
    await store.replaceLinks(SHOP.subject, shop.deployments, {
      changeLinks: [link('s1', 'c6', 6)],
      incidentLinks: [],
      flags: [],
    });
  });

  it('counts deployments, rework and failures of both windows, with the recovery samples', async () => {
    const r = await store.metrics.counts(componentOf(PAY), days);
    expect([r.current, r.previous]).toEqual([
      { n: 2, rework: 1, failed: 1 }, // d2 (failed), d3 (rework)
      { n: 1, rework: 0, failed: 0 }, // d1
    ]);
    const byStart = (x: { start: number }, y: { start: number }) =>
      x.start - y.start;
    expect(r.recoveries.sort(byStart)).toEqual([
      { kind: 'incident', start: h(10), end: h(11) },
      { kind: 'incident', start: h(31), end: h(33) },
    ]);
    const c = await store.metrics.counts(componentOf(PAY), cut);
    expect([c.current, c.previous]).toEqual([
      { n: 2, rework: 1, failed: 1 }, // d3 (rework), d4 (rolled back)
      { n: 1, rework: 0, failed: 1 }, // d2
    ]);
    expect(c.recoveries.sort(byStart)).toEqual([
      { kind: 'incident', start: h(31), end: h(33) },
      { kind: 'incident', start: h(50), end: undefined },
      { kind: 'rollback', start: h(60), end: h(62) },
    ]);
    const org = await store.metrics.counts(ORG, cut);
    expect(org.previous.n).toBe(2); // d2 and s1
    const none = await store.metrics.counts(
      teamOf({ subject: 'x', teamRef: 'group:default/none' }),
      days,
    );
    expect(none).toEqual({
      current: { n: 0, rework: 0, failed: 0 },
      previous: { n: 0, rework: 0, failed: 0 },
      recoveries: [],
    });
  });

  it('reads lead times of whole days from the daily rows, and of cut days from the links', async () => {
    expect(
      hoursOf(await store.metrics.leadTimes(componentOf(PAY), days)),
    ).toEqual({ current: [3, 4], previous: [1, 2] });
    expect(
      hoursOf(await store.metrics.leadTimes(componentOf(PAY), cut)),
    ).toEqual({ current: [4, 5], previous: [3] });
    expect(hoursOf(await store.metrics.leadTimes(ORG, cut))).toEqual({
      current: [4, 5],
      previous: [3, 6],
    });
    expect(hoursOf(await store.metrics.leadTimes(teamOf(SHOP), days))).toEqual({
      current: [6],
      previous: [],
    });
    expect(
      hoursOf(
        await store.metrics.leadTimes(teamOf(SHOP), {
          prevFrom: h(100),
          from: h(124),
          to: h(148),
        }),
      ),
    ).toEqual({ current: [], previous: [] });
  });

  it('reads the lead times of both windows in one statement on PostgreSQL (two in parallel on SQLite)', async () => {
    const statements: string[] = [];
    const listener = (q: { sql: string }) => statements.push(q.sql);
    store.db.on('query', listener);
    try {
      await store.metrics.leadTimes(ORG, cut);
    } finally {
      store.db.off('query', listener);
    }
    expect(statements).toHaveLength(store.isPostgres ? 1 : 2);
  });
});
