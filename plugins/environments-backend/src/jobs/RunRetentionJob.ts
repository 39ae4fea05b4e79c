import { LoggerService } from '@backstage/backend-plugin-api';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import { RETENTION_DEFAULTS } from '../limits';
import { EnvironmentStore } from '../store/EnvironmentStore';
import { JobContext } from './JobContext';

export interface RunRetentionOptions {
  /** Runs that finished longer ago than this are deleted with their logs. */
  maxAge: HumanDuration;
  /** Runs deleted per statement, so that one pass never holds long locks (default 500). */
  batchSize?: number;
}

/**
 * Retention of runs and their logs, like the notifications backend's cleaner: schedules itself
 * (one replica at a time, every `environments.retention.frequency`) and deletes runs that
 * finished longer than `environments.retention.maxAge` ago, with their logs: every such run of a
 * destroyed or rejected environment, and of any other environment all but the latest run of each
 * kind. Queued and running runs are never touched.
 */
export class RunRetentionJob {
  static readonly id = 'environments-run-retention';

  static async start(
    { scheduler, logger, config }: JobContext,
    deps: { store: EnvironmentStore },
  ): Promise<RunRetentionJob> {
    const job = new RunRetentionJob(
      { store: deps.store, logger },
      { maxAge: config.retention.maxAge },
    );
    await scheduler.scheduleTask({
      id: RunRetentionJob.id,
      scope: 'global',
      frequency: config.retention.frequency,
      timeout: { minutes: 30 },
      initialDelay: { minutes: 2 },
      fn: async () => {
        await job.run();
      },
    });
    return job;
  }

  private readonly batchSize: number;

  constructor(
    private readonly deps: { store: EnvironmentStore; logger?: LoggerService },
    private readonly options: RunRetentionOptions,
  ) {
    this.batchSize = options.batchSize ?? RETENTION_DEFAULTS.batchSize;
  }

  /** Deletes what is past retention at `now`, batch by batch; returns how many runs. */
  async run(now = new Date()): Promise<number> {
    const before = new Date(
      now.getTime() - durationToMilliseconds(this.options.maxAge),
    );
    let total = 0;
    for (;;) {
      const n = await this.deps.store.runs.deleteFinishedBefore(
        before,
        this.batchSize,
      );
      total += n;
      if (n < this.batchSize) break;
    }
    if (total)
      this.deps.logger?.info(
        `run retention: deleted ${total} run(s) finished before ${before.toISOString()}, with their logs`,
      );
    return total;
  }
}
