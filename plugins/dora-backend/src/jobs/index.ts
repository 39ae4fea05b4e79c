import {
  AuthService,
  DiscoveryService,
  LifecycleService,
  LoggerService,
  SchedulerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { DoraConfig } from '../config';
import { DeliveryProcessor } from '../ingest/DeliveryProcessor';
import { PlatformMetrics } from '../platform/PlatformMetrics';
import { ScaffolderTaskSync } from '../platform/ScaffolderTaskSync';
import { ScorecardDefinitions } from '../scorecards/ScorecardDefinitions';
import { ScorecardService } from '../scorecards/ScorecardService';
import { ScorecardTreeReader } from '../scorecards/ScorecardTreeReader';
import { catalogGithubRepositories } from '../seed/catalogRepositories';
import { DemoSeeder } from '../seed/DemoSeeder';
import { DoraStore } from '../store/DoraStore';
import { DemoSeedJob } from './DemoSeedJob';
import { NormaliseJob } from './NormaliseJob';
import { ReattributeJob } from './ReattributeJob';
import { ScaffolderSyncJob } from './ScaffolderSyncJob';
import { ScorecardDefinitionsJob } from './ScorecardDefinitionsJob';
import { ScorecardEvaluationJob } from './ScorecardEvaluationJob';

export {
  DemoSeedJob,
  NormaliseJob,
  ReattributeJob,
  ScaffolderSyncJob,
  ScorecardDefinitionsJob,
  ScorecardEvaluationJob,
};

/**
 * Schedules the plugin's jobs as config asks: normalising and re-attribution always, scorecard
 * evaluation, reading the scorecards from git (dora.scorecards.url), the scaffolder sync
 * (dora.scaffolder.sync) and the demo seeding (dora.demo.seed).
 */
export async function scheduleDoraJobs(deps: {
  config: DoraConfig;
  scheduler: SchedulerService;
  lifecycle: LifecycleService;
  logger: LoggerService;
  discovery: DiscoveryService;
  auth: AuthService;
  catalog: CatalogService;
  store: DoraStore;
  processor: DeliveryProcessor;
  platform: PlatformMetrics;
  scorecards: ScorecardService;
  definitions: ScorecardDefinitions;
  urlReader: UrlReaderService;
}): Promise<void> {
  const { config, scheduler, logger, processor, auth, catalog } = deps;
  await new NormaliseJob({
    scheduler,
    logger,
    processor,
    frequency: config.processing.frequency,
  }).schedule();
  await new ReattributeJob({ scheduler, logger, processor }).schedule();
  if (config.scaffolder.sync) {
    const sync = new ScaffolderTaskSync(deps);
    await new ScaffolderSyncJob({
      scheduler,
      logger,
      sync,
      frequency: config.scaffolder.frequency,
    }).schedule();
  }
  await new ScorecardEvaluationJob({
    scheduler,
    scorecards: deps.scorecards,
    frequency: config.scorecards.frequency,
    initialDelay: config.scorecards.initialDelay,
  }).schedule();
  if (config.scorecards.url) {
    const { url, refreshFrequency: frequency } = config.scorecards;
    const reader = new ScorecardTreeReader({ ...deps, url });
    await new ScorecardDefinitionsJob({
      scheduler,
      reader,
      frequency,
    }).schedule();
  }
  if (config.demo) {
    const seeder = new DemoSeeder({
      source: config.demo.source,
      repositories: config.demo.repositories,
      countDeliveries: async () =>
        Object.values(await deps.store.deliveries.count()).reduce(
          (a, b) => a + b,
          0,
        ),
      baseUrl: () => deps.discovery.getBaseUrl('dora'),
      knownRepositories: () => catalogGithubRepositories(catalog, auth),
      logger,
    });
    await new DemoSeedJob({ ...deps, seeder }).schedule();
  }
}
