/*
 * The row mappers on rows as PostgreSQL 15 and SQLite return them (bigint as text on PostgreSQL,
 * booleans as 0/1 on SQLite, nulls), and rowsOf on both engines' raw results.
 */
import {
  changeEvent,
  deploymentEvent,
  freshStore,
  h,
  incidentEvent,
  PAY,
  storeDatabases,
  UNKNOWN,
} from '../__testUtils__/doraRows';
import {
  changeFromRow,
  deploymentFromRow,
  incidentFromRow,
  isoOf,
  numberOf,
  rowsOf,
} from './fromRow';

const databases = storeDatabases();

describe('isoOf and numberOf', () => {
  it('read epoch-ms and numeric columns, null and undefined as undefined', () => {
    expect(isoOf('1767225600000')).toBe('2026-01-01T00:00:00.000Z');
    expect(isoOf(0)).toBe('1970-01-01T00:00:00.000Z');
    expect([isoOf(null), isoOf(undefined)]).toEqual([undefined, undefined]);
    expect([numberOf('7'), numberOf(0), numberOf(null)]).toEqual([
      7,
      0,
      undefined,
    ]);
  });
});

describe.each(databases.eachSupportedId())('row mappers on %p', databaseId => {
  it('map stored deployments, changes and incidents as the API shows them', async () => {
    const store = await freshStore(databases, databaseId);
    await store.transaction(async tx => {
      await store.deployments.upsert(
        tx,
        'gh:1',
        deploymentEvent('1', 1, {
          repo: 'acme/pay',
          sha: 'c1',
          url: 'https://ci/1',
        }),
        PAY,
        true,
        1,
      );
      await store.deployments.upsert(
        tx,
        'gh:2',
        deploymentEvent('2', 2, {
          service: 'web',
          environment: 'qa',
          status: 'pending',
        }),
        UNKNOWN,
        false,
        1,
      );
      await store.changes.upsert(
        tx,
        changeEvent('c1', 0, 0.5, { pullRequest: 12, title: 'Fix' }),
        PAY,
        { revert: true, hotfix: false },
      );
      await store.incidents.upsert(
        tx,
        'gh:i',
        incidentEvent('i', 3, 4, { title: 'Down', url: 'https://i' }),
        PAY,
      );
      await store.incidents.upsert(tx, 'gh:j', incidentEvent('j', 5), UNKNOWN);
    });
    const deployments = (await store.db('dora_deployments').orderBy('id')).map(
      deploymentFromRow,
    );
    expect(deployments).toEqual([
      {
        id: 'gh:1',
        componentRef: PAY.componentRef,
        teamRef: PAY.teamRef,
        subject: PAY.subject,
        repo: 'acme/pay',
        service: undefined,
        environment: 'production',
        production: true,
        status: 'success',
        sha: 'c1',
        deployedAt: new Date(h(1)).toISOString(),
        rework: undefined,
        failure: undefined,
        recoveredAt: undefined,
        url: 'https://ci/1',
      },
      {
        id: 'gh:2',
        componentRef: undefined,
        teamRef: undefined,
        subject: UNKNOWN.subject,
        repo: undefined,
        service: 'web',
        environment: 'qa',
        production: false,
        status: 'pending',
        sha: undefined,
        deployedAt: new Date(h(2)).toISOString(),
        rework: undefined,
        failure: undefined,
        recoveredAt: undefined,
        url: undefined,
      },
    ]);
    expect(changeFromRow(await store.db('dora_changes').first())).toEqual({
      id: 'acme/pay@c1',
      componentRef: PAY.componentRef,
      teamRef: PAY.teamRef,
      subject: PAY.subject,
      repo: 'acme/pay',
      sha: 'c1',
      committedAt: new Date(h(0)).toISOString(),
      landedAt: new Date(h(0.5)).toISOString(),
      pullRequest: 12,
      title: 'Fix',
      revert: true,
    });
    const incidents = (await store.db('dora_incidents').orderBy('id')).map(
      incidentFromRow,
    );
    expect(
      incidents.map(i => [
        i.id,
        i.state,
        i.startedAt,
        i.resolvedAt,
        i.title,
        i.url,
        i.componentRef,
      ]),
    ).toEqual([
      [
        'gh:i',
        'resolved',
        new Date(h(3)).toISOString(),
        new Date(h(4)).toISOString(),
        'Down',
        'https://i',
        PAY.componentRef,
      ],
      [
        'gh:j',
        'open',
        new Date(h(5)).toISOString(),
        undefined,
        undefined,
        undefined,
        undefined,
      ],
    ]);
    expect(
      rowsOf(await store.db.raw('select 1 as one')).map(r => Number(r.one)),
    ).toEqual([1]);
  });
});
