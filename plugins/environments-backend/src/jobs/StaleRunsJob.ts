import { durationToMilliseconds } from '@backstage/types';
import { EnvironmentStore } from '../store/EnvironmentStore';
import { RunRecord } from '../store/types';
import { JobContext } from './JobContext';

/**
 * The takeover of runs whose worker stopped (a replica killed mid-run): on one replica at a time,
 * every half of `environments.runs.staleAfter` (at least every 30 seconds, at most every second),
 * puts each running run whose heartbeat is older than staleAfter back in the queue as its next
 * attempt, for another replica or the restarted one.
 */
export class StaleRunsJob {
  static readonly id = 'environments-stale-runs';

  static async start(
    { scheduler, logger, config }: JobContext,
    deps: { store: EnvironmentStore },
  ): Promise<StaleRunsJob> {
    const staleAfterMs = durationToMilliseconds(config.runs.staleAfter);
    const job = new StaleRunsJob(deps.store, logger, staleAfterMs);
    await scheduler.scheduleTask({
      id: StaleRunsJob.id,
      scope: 'global',
      frequency: {
        seconds: Math.max(1, Math.min(30, Math.floor(staleAfterMs / 2000))),
      },
      timeout: { minutes: 1 },
      fn: async () => {
        await job.run();
      },
    });
    return job;
  }

  private constructor(
    private readonly store: EnvironmentStore,
    private readonly logger: JobContext['logger'],
    private readonly staleAfterMs: number,
  ) {}

  /** One pass at `now`; returns the runs put back in the queue. */
  async run(now = new Date()): Promise<RunRecord[]> {
    const taken = await this.store.runs.requeueStale(
      new Date(now.getTime() - this.staleAfterMs),
    );
    if (taken.length)
      this.logger.warn(
        `took over ${taken.length} run(s) whose worker stopped: ${taken
          .map(r => r.id)
          .join(', ')}`,
      );
    return taken;
  }
}
