/*
 * PlatformStore on PostgreSQL 15 and SQLite: template runs recorded (a run seen again updated),
 * adoption by template and team, and each created component's first counted deployment.
 */
import {
  deploy,
  freshStore,
  h,
  storeDatabases,
} from '../__testUtils__/doraRows';
import { DoraStore } from './DoraStore';
import { TemplateRun } from './rows';

const databases = storeDatabases();
const NODE = 'template:default/node-service';
const DOCS = 'template:default/docs-site';
const run = (
  taskId: string,
  createdH: number,
  more: Partial<TemplateRun> = {},
): TemplateRun => ({
  taskId,
  templateRef: NODE,
  teamRef: 'group:default/payments',
  status: 'completed',
  createdAt: h(createdH),
  ...more,
});
const range = { from: h(0), to: h(100) };

describe.each(databases.eachSupportedId())(
  'PlatformStore on %p',
  databaseId => {
    let store: DoraStore;

    beforeAll(async () => {
      store = await freshStore(databases, databaseId);
    });

    it('records runs, and updates the status, component and sync time of a run seen again', async () => {
      expect(
        await store.platform.recordRuns(
          [
            run('t1', 0, {
              status: 'processing',
              createdBy: 'user:default/ana',
            }),
            run('t2', 1, {
              teamRef: 'group:default/storefront',
              status: 'failed',
            }),
            run('t3', 2, { templateRef: DOCS }),
            run('t0', -1), // before the range
          ],
          h(3),
        ),
      ).toBe(4);
      // t1 completes and created a component; a new team on the task is not taken (the runner's team when it ran)
      await store.platform.recordRuns(
        [
          run('t1', 0, {
            componentRef: 'component:default/new-svc',
            teamRef: 'group:default/other',
          }),
        ],
        h(4),
      );
      const row = await store
        .db('dora_template_runs')
        .where({ task_id: 't1' })
        .first();
      expect([
        row.status,
        row.component_ref,
        row.team_ref,
        row.created_by,
        Number(row.synced_at),
      ]).toEqual([
        'completed',
        'component:default/new-svc',
        'group:default/payments',
        'user:default/ana',
        h(4),
      ]);
    });

    it('counts runs and completed runs by template and team, filtered and paged', async () => {
      expect(await store.platform.adoption(range)).toEqual([
        {
          templateRef: DOCS,
          teamRef: 'group:default/payments',
          runs: 1,
          succeeded: 1,
        },
        {
          templateRef: NODE,
          teamRef: 'group:default/payments',
          runs: 1,
          succeeded: 1,
        },
        {
          templateRef: NODE,
          teamRef: 'group:default/storefront',
          runs: 1,
          succeeded: 0,
        },
      ]);
      expect(
        await store.platform.adoption({
          ...range,
          teamRef: 'group:default/storefront',
        }),
      ).toEqual([
        {
          templateRef: NODE,
          teamRef: 'group:default/storefront',
          runs: 1,
          succeeded: 0,
        },
      ]);
      expect(
        (
          await store.platform.adoption({
            ...range,
            page: { limit: 1, offset: 1 },
          })
        ).map(r => r.templateRef),
      ).toEqual([NODE]);
      expect(await store.platform.adoption({ from: h(-1), to: h(0) })).toEqual([
        {
          templateRef: NODE,
          teamRef: 'group:default/payments',
          runs: 1,
          succeeded: 1,
        },
      ]);
    });

    it("finds each created component's first counted deployment at or after its run", async () => {
      await store.platform.recordRuns(
        [run('t4', 5, { componentRef: 'component:default/late-svc' })],
        h(6),
      );
      const newSvc = {
        subject: 'component:default/new-svc',
        componentRef: 'component:default/new-svc',
      };
      // one before the run (another component of the same name, earlier) does not count
      await deploy(store, [
        ['before', -0.5, newSvc],
        ['first', 10, newSvc],
        ['second', 20, newSvc],
      ]);
      expect(await store.platform.firstDeployments(range)).toEqual([
        {
          taskId: 't1',
          templateRef: NODE,
          componentRef: 'component:default/new-svc',
          teamRef: 'group:default/payments',
          createdAt: h(0),
          firstDeploymentId: 'first',
          firstDeployedAt: h(10),
        },
        {
          taskId: 't4',
          templateRef: NODE,
          componentRef: 'component:default/late-svc',
          teamRef: 'group:default/payments',
          createdAt: h(5),
          firstDeploymentId: undefined,
          firstDeployedAt: undefined,
        },
      ]);
      expect(
        (
          await store.platform.firstDeployments({
            ...range,
            page: { limit: 1, offset: 1 },
          })
        ).map(r => r.taskId),
      ).toEqual(['t4']);
      expect(
        await store.platform.firstDeployments({
          ...range,
          teamRef: 'group:default/storefront',
        }),
      ).toEqual([]);
    });
  },
);
