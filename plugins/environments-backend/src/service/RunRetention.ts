import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { positiveOptions, RETENTION_DEFAULTS } from '../limits';
import { EnvironmentStore } from '../store/EnvironmentStore';

export interface RunRetentionOptions {
  /** Runs that finished more than this many days ago are deleted with their logs (default 30). */
  runDays: number;
  /** How often the cleaner runs, in minutes (default 60). */
  intervalMinutes: number;
  /** Runs deleted per statement, so that one pass never holds long locks (default 500). */
  batchSize: number;
}

/**
 * Retention of runs and their logs, like the notifications backend's cleaner: schedules itself
 * (one replica at a time) and deletes runs that finished before the retention period, with their
 * logs: every such run of a destroyed or rejected environment, and of any other environment all
 * but the latest run of each kind. Queued and running runs are never touched.
 */
export class RunRetention {
  readonly options: RunRetentionOptions;

  constructor(
    private readonly deps: { store: EnvironmentStore; logger?: LoggerService },
    options: Partial<RunRetentionOptions> = {},
  ) {
    this.options = positiveOptions(
      'environments.retention.',
      RETENTION_DEFAULTS,
      options,
    );
  }

  /** Deletes what is past retention at `now`, batch by batch; returns how many runs. */
  async clean(now = new Date()): Promise<number> {
    const before = new Date(
      now.getTime() - this.options.runDays * 24 * 3600_000,
    );
    let total = 0;
    for (;;) {
      const n = await this.deps.store.runs.deleteFinishedBefore(
        before,
        this.options.batchSize,
      );
      total += n;
      if (n < this.options.batchSize) break;
    }
    if (total)
      this.deps.logger?.info(
        `run retention: deleted ${total} run(s) finished before ${before.toISOString()}, with their logs`,
      );
    return total;
  }

  /** Schedules the cleaner as the global task `environments-run-retention`. */
  async schedule(scheduler: SchedulerService): Promise<void> {
    await scheduler.scheduleTask({
      id: 'environments-run-retention',
      scope: 'global',
      frequency: { minutes: this.options.intervalMinutes },
      timeout: { minutes: 30 },
      initialDelay: { minutes: 2 },
      fn: async () => {
        await this.clean();
      },
    });
  }
}
