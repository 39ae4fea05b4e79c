import { LifecycleService } from '@backstage/backend-plugin-api';
import { durationToMilliseconds } from '@backstage/types';
import os from 'node:os';
import { BlueprintCatalog } from '../blueprints/BlueprintCatalog';
import { TofuRunner } from '../runner/TofuRunner';
import { RunWorker } from '../service/RunWorker';
import { EnvironmentStore } from '../store/EnvironmentStore';
import { JobContext } from './JobContext';

/**
 * This replica's share of the run queue: every replica works it (scope local). A run this replica
 * queues starts at once; runs queued by other replicas, or taken over from a stopped one, at the
 * next poll (`environments.runs.pollInterval`). With `environments.runs.concurrency` 0 the
 * replica serves the API only.
 */
export class RunWorkerJob {
  static readonly id = 'environments-worker';

  static async start(
    { scheduler, logger, config }: JobContext,
    deps: {
      store: EnvironmentStore;
      blueprints: BlueprintCatalog;
      runner: TofuRunner;
      lifecycle: LifecycleService;
    },
  ): Promise<RunWorkerJob> {
    const worker = new RunWorker(deps.store, deps.blueprints, deps.runner, {
      workerId: `${os.hostname()}:${process.pid}`,
      heartbeatMs: durationToMilliseconds(config.runs.heartbeatInterval),
      concurrency: config.runs.concurrency,
      logger,
    });
    const job = new RunWorkerJob(worker);
    deps.lifecycle.addShutdownHook(
      deps.store.runs.onQueued(() => void worker.kick()),
    );
    await scheduler.scheduleTask({
      id: RunWorkerJob.id,
      scope: 'local',
      frequency: config.runs.pollInterval,
      timeout: { minutes: 1 },
      fn: () => job.run(),
    });
    return job;
  }

  private constructor(readonly worker: RunWorker) {}

  /** Works due runs until none is left (with up to `concurrency` at once). */
  run(): Promise<void> {
    return this.worker.kick();
  }
}
