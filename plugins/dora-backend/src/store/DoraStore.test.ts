/*
 * DoraStore on PostgreSQL 15 and SQLite: the migrations, the stores it holds on one connection,
 * one transaction for the upserts of a delivery, and the methods callers use (delegating to the
 * stores).
 */
import {
  changeEvent,
  deploymentEvent,
  freshStore,
  h,
  incidentEvent,
  PAY,
  storeDatabases,
} from '../__testUtils__/doraRows';
import { DoraStore } from './DoraStore';

const databases = storeDatabases();

describe.each(databases.eachSupportedId())('DoraStore on %p', databaseId => {
  it('migrates the database unless told not to', async () => {
    const knex = await databases.init(databaseId);
    await DoraStore.create(knex, { skipMigrations: true });
    expect(await knex.schema.hasTable('dora_deployments')).toBe(false);
    const store = await DoraStore.create(knex);
    for (const table of [
      'dora_deliveries',
      'dora_deployments',
      'dora_changes',
      'dora_incidents',
      'dora_deployment_changes',
      'dora_incident_deployments',
      'dora_lead_time_days',
      'dora_template_runs',
      'scorecard_results',
    ])
      expect([table, await knex.schema.hasTable(table)]).toEqual([table, true]);
    expect(store.isPostgres).toBe(databaseId.startsWith('POSTGRES'));
    // migrating again changes nothing
    await DoraStore.create(knex);
  });

  it("writes a delivery's rows in one transaction: all of them or none", async () => {
    const store = await freshStore(databases, databaseId);
    await expect(
      store.transaction(async tx => {
        await store.upsertDeployment(
          tx,
          'gh:1',
          deploymentEvent('1', 1),
          PAY,
          true,
          1,
        );
        throw new Error('the next event failed');
      }),
    ).rejects.toThrow('the next event failed');
    expect(await store.loadSubject(PAY.subject)).toEqual({
      deployments: [],
      changes: [],
      incidents: [],
    });

    const subjects = await store.transaction(async tx => [
      await store.upsertDeployment(
        tx,
        'gh:1',
        deploymentEvent('1', 1, { sha: 'c1' }),
        PAY,
        true,
        1,
      ),
      await store.upsertChange(tx, changeEvent('c1', 0, 0.5), PAY, {
        revert: false,
        hotfix: false,
      }),
      await store.upsertIncident(tx, 'gh:i', incidentEvent('i', 2), PAY),
    ]);
    expect(subjects).toEqual([PAY.subject, PAY.subject, PAY.subject]);
    const rows = await store.loadSubject(PAY.subject);
    expect([
      rows.deployments.length,
      rows.changes.length,
      rows.incidents.length,
    ]).toEqual([1, 1, 1]);

    // the linking methods go to the link store
    await store.replaceLinks(PAY.subject, rows.deployments, {
      changeLinks: [
        {
          deploymentId: 'gh:1',
          changeId: 'acme/pay@c1',
          linkedBy: 'deployed-sha',
          leadTimeMs: h(1) - h(0),
        },
      ],
      incidentLinks: [
        {
          incidentId: 'gh:i',
          deploymentId: 'gh:1',
          linkedBy: 'time-window',
          confidence: 'low',
        },
      ],
      flags: [{ deploymentId: 'gh:1', failure: 'incident' }],
    });
    expect((await store.incidents.links(['gh:i'])).get('gh:i')).toHaveLength(1);
    const unattributed = { subject: 'repo:acme/x' };
    await store.transaction(tx =>
      store.upsertChange(
        tx,
        changeEvent('x1', 0, 0, { repo: 'acme/x' }),
        unattributed,
        { revert: false, hotfix: false },
      ),
    );
    expect(await store.unattributedSubjects()).toEqual(['repo:acme/x']);
    await store.moveSubject('repo:acme/x', {
      subject: 'component:default/x',
      componentRef: 'component:default/x',
    });
    expect(await store.unattributedSubjects()).toEqual([]);
    expect(
      (await store.loadSubject('component:default/x')).changes.map(c => c.id),
    ).toEqual(['acme/x@x1']);
  });

  it('keeps the delivery queue on the same database', async () => {
    const store = await freshStore(databases, databaseId);
    await store.deliveries.insert({
      source: 'api',
      sourceType: 'api',
      deliveryId: 'd1',
      eventType: 'deployment',
      payload: '{}',
      receivedAt: 1,
    });
    expect(await store.deliveries.count()).toEqual({ pending: 1 });
  });
});
