/*
 * scheduleDoraJobs: which jobs config turns on (dora.scaffolder.sync, dora.demo.seed,
 * dora.scorecards.url), each with the schedule config gives it.
 */
import { ConfigReader } from '@backstage/config';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ComponentIndex } from '../attribution/Attribution';
import { readDoraConfig } from '../config';
import { DeliveryProcessor } from '../ingest/DeliveryProcessor';
import { DoraMetricsService } from '../metrics/DoraMetricsService';
import { PlatformMetrics } from '../platform/PlatformMetrics';
import { ScorecardDefinitions } from '../scorecards/ScorecardDefinitions';
import { ScorecardService } from '../scorecards/ScorecardService';
import { DoraStore } from '../store/DoraStore';
import { realUrlReader } from '../__testUtils__/urlReader';
import { ScorecardStore } from '../store/ScorecardStore';
import { scheduleDoraJobs } from '.';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

async function scheduled(dora: object) {
  const knex = await databases.init('SQLITE_3');
  const store = await DoraStore.create(knex);
  const config = readDoraConfig(new ConfigReader({ dora }));
  const index = new ComponentIndex([]);
  const catalog = catalogServiceMock();
  const auth = mockServices.auth();
  const metrics = new DoraMetricsService(store, config.metrics);
  const scheduler = mockServices.scheduler.mock();
  const lifecycle = mockServices.lifecycle.mock();
  const definitions = config.scorecards.dir
    ? ScorecardDefinitions.load(config.scorecards.dir)
    : ScorecardDefinitions.empty();
  await scheduleDoraJobs({
    config,
    scheduler,
    lifecycle,
    logger: mockServices.logger.mock(),
    discovery: mockServices.discovery(),
    auth,
    catalog,
    store,
    processor: new DeliveryProcessor({
      store,
      attribution: { resolve: async t => index.resolve(t) },
      sources: config.sources,
    }),
    platform: new PlatformMetrics(store),
    definitions,
    urlReader: await realUrlReader({}),
    scorecards: new ScorecardService({
      definitions,
      store: new ScorecardStore(knex),
      catalog,
      auth,
      metrics,
    }),
  });
  return {
    tasks: scheduler.scheduleTask.mock.calls.map(([t]) => t),
    startupHooks: lifecycle.addStartupHook.mock.calls.length,
  };
}

describe('scheduleDoraJobs', () => {
  it('schedules normalising, re-attribution, the scaffolder sync and scorecards by default', async () => {
    const { tasks, startupHooks } = await scheduled({});
    expect(tasks.map(t => [t.id, t.frequency])).toEqual([
      ['dora-normalise', { seconds: 10 }],
      ['dora-reattribute', { minutes: 5 }],
      ['dora-scaffolder-sync', { minutes: 15 }],
      ['dora-scorecards', { minutes: 60 }],
    ]);
    expect(startupHooks).toBe(0);
  });

  it('leaves the scaffolder sync out when dora.scaffolder.sync is false, adds the demo seeding with dora.demo.seed, and gives each its configured schedule', async () => {
    const { tasks, startupHooks } = await scheduled({
      sources: [
        {
          id: 'github-demo',
          type: 'github',
          secret: 'jobs-test-secret-0123456789',
        },
      ],
      demo: { seed: true },
      scaffolder: { sync: false },
      processing: { frequency: '30s' },
      scorecards: { frequency: { hours: 2 }, initialDelaySeconds: 5 },
    });
    expect(tasks.map(t => t.id)).toEqual([
      'dora-normalise',
      'dora-reattribute',
      'dora-scorecards',
      'dora-demo-seed',
    ]);
    expect(tasks[0].frequency).toEqual({ seconds: 30 });
    expect(tasks[2]).toMatchObject({
      frequency: { hours: 2 },
      initialDelay: { seconds: 5 },
    });
    expect(startupHooks).toBe(1);
  });

  it('reads the scorecards from git on every replica with dora.scorecards.url, every refreshFrequency', async () => {
    const { tasks } = await scheduled({
      scorecards: {
        url: 'http://localhost:3300/acme/platform/src/branch/main/scorecards',
        refreshFrequency: '10m',
      },
    });
    expect(tasks.map(t => t.id)).toContain('dora-scorecard-definitions');
    expect(
      tasks.find(t => t.id === 'dora-scorecard-definitions'),
    ).toMatchObject({
      scope: 'local',
      frequency: { minutes: 10 },
      timeout: { minutes: 2 },
    });
    expect(tasks.map(t => t.id)).toContain('dora-scorecards');
  });
});
