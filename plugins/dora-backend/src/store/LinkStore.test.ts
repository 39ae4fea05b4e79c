/*
 * LinkStore on PostgreSQL 15 and SQLite: the rows the linker reads, links and flags written as
 * differences only (with the daily lead times they feed), unattributed subjects, and moving a
 * subject's rows to a component found later.
 */
import { Knex } from 'knex';
import {
  changeEvent,
  DAY,
  deploy,
  deploymentEvent,
  freshStore,
  h,
  HOUR,
  incidentEvent,
  PAY,
  storeDatabases,
  T0,
  UNKNOWN,
} from '../__testUtils__/doraRows';
import { DoraStore } from './DoraStore';
import { LinkResult } from './rows';

const databases = storeDatabases();
const day0 = T0 / DAY;

/** The INSERT, UPDATE and DELETE statements `fn` sends. */
async function writesOf(db: Knex, fn: () => Promise<unknown>) {
  const writes: string[] = [];
  const listener = (q: { sql: string }) => {
    if (/^\s*(insert|update|delete)/i.test(q.sql)) writes.push(q.sql);
  };
  db.on('query', listener);
  try {
    await fn();
  } finally {
    db.off('query', listener);
  }
  return writes;
}

describe.each(databases.eachSupportedId())('LinkStore on %p', databaseId => {
  let store: DoraStore;

  beforeAll(async () => {
    store = await freshStore(databases, databaseId);
    await store.transaction(async tx => {
      await store.changes.upsert(
        tx,
        changeEvent('c2', 2, 3, { pullRequest: 4 }),
        PAY,
        { revert: false, hotfix: true },
      );
      await store.changes.upsert(tx, changeEvent('c1', 0, 1), PAY, {
        revert: true,
        hotfix: false,
      });
      await store.incidents.upsert(
        tx,
        'gh:i1',
        incidentEvent('i1', 7, 9, { rootCauseSha: 'c2' }),
        PAY,
      );
      await store.deployments.upsert(
        tx,
        'gh:d0',
        deploymentEvent('d0', 4, { environment: 'staging', sha: 'c2' }),
        PAY,
        false,
        1,
      );
    });
    await deploy(store, [
      ['gh:d2', 26, PAY],
      ['gh:d1', 5, PAY],
    ]);
  });

  it("loads a subject's rows in time order, with times as epoch ms", async () => {
    const rows = await store.loadSubject(PAY.subject);
    expect(rows.deployments.map(d => [d.id, d.deployedAt, d.counted])).toEqual([
      ['gh:d0', h(4), false],
      ['gh:d1', h(5), true],
      ['gh:d2', h(26), true],
    ]);
    expect(rows.deployments[0]).toEqual({
      id: 'gh:d0',
      subject: PAY.subject,
      componentRef: PAY.componentRef,
      teamRef: PAY.teamRef,
      production: false,
      status: 'success',
      counted: false,
      sha: 'c2',
      ref: undefined,
      description: undefined,
      deployedAt: h(4),
      rollback: false,
      incidentRef: undefined,
    });
    expect(rows.changes).toEqual([
      {
        id: 'acme/pay@c1',
        sha: 'c1',
        committedAt: h(0),
        landedAt: h(1),
        pullRequest: undefined,
        revert: true,
        hotfix: false,
      },
      {
        id: 'acme/pay@c2',
        sha: 'c2',
        committedAt: h(2),
        landedAt: h(3),
        pullRequest: 4,
        revert: false,
        hotfix: true,
      },
    ]);
    expect(rows.incidents).toEqual([
      {
        id: 'gh:i1',
        startedAt: h(7),
        resolvedAt: h(9),
        deploymentRef: undefined,
        rootCauseSha: 'c2',
      },
    ]);
    expect(await store.loadSubject('component:default/none')).toEqual({
      deployments: [],
      changes: [],
      incidents: [],
    });
  });

  it('writes only the differences, and keeps the daily lead times equal to the links', async () => {
    const { deployments } = await store.loadSubject(PAY.subject);
    const result: LinkResult = {
      changeLinks: [
        {
          deploymentId: 'gh:d1',
          changeId: 'acme/pay@c1',
          linkedBy: 'first-deployment',
          leadTimeMs: 5 * HOUR,
        },
        {
          deploymentId: 'gh:d1',
          changeId: 'acme/pay@c2',
          linkedBy: 'deployed-sha',
          leadTimeMs: 3 * HOUR,
        },
      ],
      incidentLinks: [
        {
          incidentId: 'gh:i1',
          deploymentId: 'gh:d1',
          linkedBy: 'root-cause-sha',
          confidence: 'high',
        },
      ],
      flags: [{ deploymentId: 'gh:d1', failure: 'incident' }],
    };
    expect(
      await writesOf(store.db, () =>
        store.replaceLinks(PAY.subject, deployments, result),
      ),
    ).not.toEqual([]);
    const days = () =>
      store
        .db('dora_lead_time_days')
        .orderBy(['scope', 'day'])
        .select('scope', 'day', 'n');
    const dayRows = [
      { scope: `component:${PAY.componentRef}`, day: day0, n: 2 },
      { scope: 'org', day: day0, n: 2 },
      { scope: `team:${PAY.teamRef}`, day: day0, n: 2 },
    ];
    expect((await days()).map(r => ({ ...r, day: Number(r.day) }))).toEqual(
      dayRows,
    );
    // the same result again: not one write
    expect(
      await writesOf(store.db, () =>
        store.replaceLinks(PAY.subject, deployments, result),
      ),
    ).toEqual([]);

    // c2 moves to the second deployment (a day later), the incident link and the flag go
    const moved: LinkResult = {
      changeLinks: [
        result.changeLinks[0],
        {
          deploymentId: 'gh:d2',
          changeId: 'acme/pay@c2',
          linkedBy: 'between-deployments',
          leadTimeMs: 24 * HOUR,
        },
      ],
      incidentLinks: [],
      flags: [{ deploymentId: 'gh:d2', rework: 'hotfix' }],
    };
    await store.replaceLinks(PAY.subject, deployments, moved);
    const links = await store
      .db('dora_deployment_changes')
      .orderBy('change_id')
      .select(
        'deployment_id',
        'change_id',
        'linked_by',
        'lead_time_ms',
        'deployed_at',
        'team_ref',
      );
    expect(
      links.map(l => [
        l.deployment_id,
        l.change_id,
        l.linked_by,
        Number(l.lead_time_ms),
        Number(l.deployed_at),
        l.team_ref,
      ]),
    ).toEqual([
      ['gh:d1', 'acme/pay@c1', 'first-deployment', 5 * HOUR, h(5), PAY.teamRef],
      [
        'gh:d2',
        'acme/pay@c2',
        'between-deployments',
        24 * HOUR,
        h(26),
        PAY.teamRef,
      ],
    ]);
    expect(await store.db('dora_incident_deployments').select()).toEqual([]);
    const flags = await store
      .db('dora_deployments')
      .orderBy('id')
      .select('id', 'rework', 'failure');
    expect(flags).toEqual([
      { id: 'gh:d0', rework: null, failure: null },
      { id: 'gh:d1', rework: null, failure: null },
      { id: 'gh:d2', rework: 'hotfix', failure: null },
    ]);
    expect(
      (await days()).map(r => [r.scope, Number(r.day) - day0, r.n]),
    ).toEqual([
      [`component:${PAY.componentRef}`, 0, 1],
      [`component:${PAY.componentRef}`, 1, 1],
      ['org', 0, 1],
      ['org', 1, 1],
      [`team:${PAY.teamRef}`, 0, 1],
      [`team:${PAY.teamRef}`, 1, 1],
    ]);
  });

  it('finds the subjects no component claimed, and moves them to a component found later', async () => {
    const unknownWho = { ...UNKNOWN };
    await store.transaction(async tx => {
      await store.changes.upsert(
        tx,
        changeEvent('u1', 30, 30, { repo: 'acme/unknown' }),
        unknownWho,
        { revert: false, hotfix: false },
      );
      await store.incidents.upsert(tx, 'svc:i', incidentEvent('i', 40), {
        subject: 'service:billing',
      });
    });
    await deploy(store, [['gh:u', 31, unknownWho]]);
    expect((await store.unattributedSubjects()).sort()).toEqual([
      'repo:acme/unknown',
      'service:billing',
    ]);
    const { deployments } = await store.loadSubject(UNKNOWN.subject);
    await store.replaceLinks(UNKNOWN.subject, deployments, {
      changeLinks: [
        {
          deploymentId: 'gh:u',
          changeId: 'acme/unknown@u1',
          linkedBy: 'deployed-sha',
          leadTimeMs: HOUR,
        },
      ],
      incidentLinks: [],
      flags: [{ deploymentId: 'gh:u', rework: 'hotfix' }],
    });
    const orgDay1 = async () =>
      (
        await store
          .db('dora_lead_time_days')
          .where({ scope: 'org', day: day0 + 1 })
          .first()
      )?.n;
    expect(await orgDay1()).toBe(2);

    await store.moveSubject(UNKNOWN.subject, {
      subject: 'component:default/unknown',
      componentRef: 'component:default/unknown',
      teamRef: 'group:default/ops',
    });
    // the old subject's links and their daily lead times go; its rows now belong to the component
    expect(await orgDay1()).toBe(1);
    expect(
      await store
        .db('dora_deployment_changes')
        .where({ subject: UNKNOWN.subject }),
    ).toEqual([]);
    const moved = await store.loadSubject('component:default/unknown');
    expect(
      moved.deployments.map(d => [d.id, d.componentRef, d.teamRef]),
    ).toEqual([['gh:u', 'component:default/unknown', 'group:default/ops']]);
    expect(moved.changes.map(c => c.id)).toEqual(['acme/unknown@u1']);
    const flag = await store
      .db('dora_deployments')
      .where({ id: 'gh:u' })
      .first();
    expect(flag.rework).toBeNull();
    expect(await store.unattributedSubjects()).toEqual(['service:billing']);
  });
});
