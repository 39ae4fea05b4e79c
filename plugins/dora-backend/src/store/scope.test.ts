/*
 * An entity's rows on PostgreSQL 15 and SQLite: by component, by team (the owner recorded on the
 * row), or all of them for the organisation; as a query builder condition and as raw SQL.
 */
import {
  componentOf,
  deploy,
  freshStore,
  ORG,
  PAY,
  SHOP,
  storeDatabases,
  teamOf,
  UNKNOWN,
} from '../__testUtils__/doraRows';
import { DoraStore } from './DoraStore';
import { leadTimeScope, scoped, scopeSql } from './scope';

const databases = storeDatabases();

describe('leadTimeScope', () => {
  it('names the daily lead time rows of an entity', () => {
    expect([
      leadTimeScope(ORG),
      leadTimeScope(componentOf(PAY)),
      leadTimeScope(teamOf(PAY)),
    ]).toEqual([
      'org',
      'component:component:default/pay',
      'team:group:default/payments',
    ]);
  });
});

describe.each(databases.eachSupportedId())(
  'scoped and scopeSql on %p',
  databaseId => {
    let store: DoraStore;

    beforeAll(async () => {
      store = await freshStore(databases, databaseId);
      await deploy(store, [
        ['p1', 1, PAY],
        ['s1', 2, SHOP],
        ['u1', 3, UNKNOWN],
      ]);
    });

    it.each([
      ['the organisation', ORG, ['p1', 's1', 'u1']],
      ['a component', componentOf(SHOP), ['s1']],
      ['a team', teamOf(PAY), ['p1']],
    ] as const)('select the rows of %s', async (_what, entity, ids) => {
      const built = await scoped(
        store.db('dora_deployments as d'),
        entity,
        'd.',
      )
        .orderBy('d.id')
        .pluck('d.id');
      expect(built).toEqual(ids);
      const f = scopeSql(entity);
      const raw = await store.db.raw(
        `select id from dora_deployments where ${f.sql}counted = ? order by id`,
        [...f.bindings, true],
      );
      expect(
        (Array.isArray(raw) ? raw : raw.rows).map((r: any) => r.id),
      ).toEqual(ids);
    });
  },
);
