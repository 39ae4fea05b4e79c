/*
 * The scorecard evaluation job: its schedule (one replica at a time, dora.scorecards.frequency and
 * initialDelay), and one pass with the repository's scorecards/ on catalog entities (Backstage's
 * catalogServiceMock), with results stored on PostgreSQL and SQLite.
 */
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import path from 'node:path';
import { DoraMetricsService } from '../metrics/DoraMetricsService';
import { ScorecardDefinitions } from '../scorecards/ScorecardDefinitions';
import { ScorecardService } from '../scorecards/ScorecardService';
import { DoraStore } from '../store/DoraStore';
import { ScorecardStore } from '../store/ScorecardStore';
import { ScorecardEvaluationJob } from './ScorecardEvaluationJob';

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'payments', namespace: 'default' },
    spec: { type: 'team', children: [] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'payments-api',
      namespace: 'default',
      annotations: { 'github.com/project-slug': 'acme/payments-api' },
    },
    spec: { type: 'service', owner: 'payments', lifecycle: 'production' },
  },
];

describe.each(databases.eachSupportedId())(
  'ScorecardEvaluationJob on %p',
  id => {
    it('is scheduled on one replica at a time after its initial delay, and a pass stores every result', async () => {
      const knex = await databases.init(id);
      const store = await DoraStore.create(knex);
      const scorecards = new ScorecardService({
        definitions: ScorecardDefinitions.load(
          path.resolve(__dirname, '../../../../scorecards'),
        ),
        store: new ScorecardStore(knex),
        catalog: catalogServiceMock({ entities }),
        auth: mockServices.auth(),
        metrics: new DoraMetricsService(store),
      });
      const scheduler = mockServices.scheduler.mock();
      await new ScorecardEvaluationJob({
        scheduler,
        scorecards,
        frequency: { minutes: 60 },
        initialDelay: { seconds: 45 },
      }).schedule();
      const task = scheduler.scheduleTask.mock.calls[0][0];
      expect(task).toMatchObject({
        id: 'dora-scorecards',
        scope: 'global',
        frequency: { minutes: 60 },
        initialDelay: { seconds: 45 },
        timeout: { minutes: 10 },
      });

      expect(
        (await scorecards.entity('component:default/payments-api')).results,
      ).toEqual([]);
      await task.fn(new AbortController().signal);
      const { results } = await scorecards.entity(
        'component:default/payments-api',
      );
      expect(results).toEqual([
        expect.objectContaining({
          scorecard: 'service-standards',
          ownerRef: 'group:default/payments',
        }),
      ]);
      // no deployments yet: the deployment check fails, the card is graded on the rest
      expect(
        results[0].checks.find(c => c.id === 'deploys-often'),
      ).toMatchObject({ outcome: expect.not.stringMatching(/^passed$/) });
    });
  },
);
