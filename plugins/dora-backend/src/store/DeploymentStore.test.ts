/*
 * DeploymentStore on PostgreSQL 15 and SQLite: the upsert (outcome only moving forward, attribution
 * kept from the first event) and the counted and rolled-back deployments of an entity, paged.
 */
import { MetricsEntity } from '@internal/plugin-dora-common';
import {
  componentOf,
  deploy,
  deploymentEvent,
  freshStore,
  h,
  ORG,
  PAY,
  SHOP,
  storeDatabases,
  teamOf,
  UNKNOWN,
} from '../__testUtils__/doraRows';
import { DoraStore } from './DoraStore';

const databases = storeDatabases();
const range = { from: h(0), to: h(100) };

describe.each(databases.eachSupportedId())(
  'DeploymentStore on %p',
  databaseId => {
    let store: DoraStore;

    beforeAll(async () => {
      store = await freshStore(databases, databaseId);
    });

    it('keeps a decided outcome and its time when a late pending arrives, and the first attribution', async () => {
      const subjects = await store.transaction(async tx => [
        await store.deployments.upsert(
          tx,
          'gh:1',
          deploymentEvent('1', 2, { sha: 'a1', ref: 'main', repo: 'acme/pay' }),
          PAY,
          true,
          7,
        ),
        // the deployment event itself, after its status: pending, later, no sha, another owner
        await store.deployments.upsert(
          tx,
          'gh:1',
          deploymentEvent('1', 5, { status: 'pending', rollback: true }),
          SHOP,
          true,
          8,
        ),
      ]);
      expect(subjects).toEqual([PAY.subject, PAY.subject]);
      const page = await store.deployments.counted(componentOf(PAY), range, {
        limit: 10,
        offset: 0,
      });
      expect(page).toEqual({
        items: [
          expect.objectContaining({
            id: 'gh:1',
            subject: PAY.subject,
            componentRef: PAY.componentRef,
            teamRef: PAY.teamRef,
            repo: 'acme/pay',
            status: 'success',
            production: true,
            sha: 'a1',
            deployedAt: new Date(h(2)).toISOString(),
          }),
        ],
        more: false,
      });
      const row = await store
        .db('dora_deployments')
        .where({ id: 'gh:1' })
        .first();
      expect([Boolean(row.rollback), Number(row.delivery_id)]).toEqual([
        true,
        8,
      ]);
    });

    it('counts only successful production deployments', async () => {
      await store.transaction(async tx => {
        await store.deployments.upsert(
          tx,
          'gh:2',
          deploymentEvent('2', 3, { status: 'failure' }),
          PAY,
          true,
          1,
        );
        await store.deployments.upsert(
          tx,
          'gh:3',
          deploymentEvent('3', 4, { environment: 'staging' }),
          PAY,
          false,
          1,
        );
        // a failure that later succeeds (a retried rollout) is counted from then on
        await store.deployments.upsert(
          tx,
          'gh:4',
          deploymentEvent('4', 6, { status: 'failure' }),
          PAY,
          true,
          1,
        );
        await store.deployments.upsert(
          tx,
          'gh:4',
          deploymentEvent('4', 7),
          PAY,
          true,
          1,
        );
      });
      const page = await store.deployments.counted(componentOf(PAY), range, {
        limit: 10,
        offset: 0,
      });
      expect(page.items.map(d => [d.id, d.deployedAt])).toEqual([
        ['gh:1', new Date(h(2)).toISOString()],
        ['gh:4', new Date(h(7)).toISOString()],
      ]);
    });

    it("pages an entity's counted deployments in time order, by component, team or organisation", async () => {
      await deploy(store, [
        ['gh:10', 10, SHOP],
        ['gh:11', 11, SHOP],
        ['gh:12', 12, UNKNOWN],
        ['gh:13', 200, PAY], // after the range
      ]);
      const ids = async (
        entity: MetricsEntity,
        limit: number,
        offset: number,
      ) => {
        const p = await store.deployments.counted(entity, range, {
          limit,
          offset,
        });
        return [p.items.map(d => d.id), p.more];
      };
      expect(await ids(ORG, 10, 0)).toEqual([
        ['gh:1', 'gh:4', 'gh:10', 'gh:11', 'gh:12'],
        false,
      ]);
      expect(await ids(ORG, 2, 0)).toEqual([['gh:1', 'gh:4'], true]);
      expect(await ids(ORG, 2, 4)).toEqual([['gh:12'], false]);
      expect(await ids(teamOf(SHOP), 10, 0)).toEqual([
        ['gh:10', 'gh:11'],
        false,
      ]);
      expect(await ids(componentOf(PAY), 1, 1)).toEqual([['gh:4'], false]);
    });

    it('lists the rolled-back deployments with what rolled them back and when', async () => {
      await store.links.replaceLinks(SHOP.subject, [], {
        changeLinks: [],
        incidentLinks: [],
        flags: [
          {
            deploymentId: 'gh:10',
            failure: 'rolled-back',
            recoveredAt: h(11),
            rolledBackBy: 'gh:11',
          },
          { deploymentId: 'gh:11', rework: 'rollback' },
        ],
      });
      const page = await store.deployments.rolledBack(ORG, range, {
        limit: 5,
        offset: 0,
      });
      expect(page).toEqual({
        items: [
          {
            deployment: expect.objectContaining({
              id: 'gh:10',
              failure: 'rolled-back',
              recoveredAt: new Date(h(11)).toISOString(),
            }),
            rolledBackBy: 'gh:11',
            deployedAt: h(10),
            recoveredAt: h(11),
          },
        ],
        more: false,
      });
      // a page of none still says whether there are more
      expect(
        await store.deployments.rolledBack(ORG, range, {
          limit: 0,
          offset: 0,
        }),
      ).toEqual({ items: [], more: true });
      expect(
        (
          await store.deployments.rolledBack(componentOf(PAY), range, {
            limit: 5,
            offset: 0,
          })
        ).items,
      ).toEqual([]);
    });
  },
);
