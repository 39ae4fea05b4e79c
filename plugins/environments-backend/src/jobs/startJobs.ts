import {
  AuditorService,
  LifecycleService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { BlueprintCatalog } from '../blueprints/BlueprintCatalog';
import { TofuRunner } from '../runner/TofuRunner';
import { BlueprintsFromUrlJob } from './BlueprintsFromUrlJob';
import { EnvironmentService } from '../service/EnvironmentService';
import { EnvironmentStore } from '../store/EnvironmentStore';
import { DriftCheckJob } from './DriftCheckJob';
import { ExpiryRemindersJob } from './ExpiryRemindersJob';
import { JobContext } from './JobContext';
import { ReaperJob } from './ReaperJob';
import { RunRetentionJob } from './RunRetentionJob';
import { RunWorkerJob } from './RunWorkerJob';
import { StaleRunsJob } from './StaleRunsJob';

/**
 * Starts the plugin's scheduled jobs, each of which schedules itself: with blueprints from a URL,
 * their reader first (its first read before the run worker starts) on every replica; the run
 * worker on every replica; the reaper, the expiry reminders, the drift check, the stale-run takeover and run
 * retention on one replica at a time.
 */
export async function startJobs(
  deps: JobContext & {
    store: EnvironmentStore;
    service: EnvironmentService;
    blueprints: BlueprintCatalog;
    runner: TofuRunner;
    lifecycle: LifecycleService;
    notifications: NotificationService;
    auditor: AuditorService;
    urlReader: UrlReaderService;
  },
): Promise<void> {
  await BlueprintsFromUrlJob.start(deps, deps);
  await RunWorkerJob.start(deps, deps);
  await ReaperJob.start(deps, deps);
  await ExpiryRemindersJob.start(deps, deps);
  await DriftCheckJob.start(deps, deps);
  await StaleRunsJob.start(deps, deps);
  await RunRetentionJob.start(deps, deps);
}
