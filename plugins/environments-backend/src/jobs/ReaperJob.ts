import { EnvironmentService } from '../service/EnvironmentService';
import { EnvironmentRecord } from '../store/types';
import { JobContext } from './JobContext';

/**
 * The reaper: every minute, on one replica at a time, sends each active environment whose expiry
 * has passed to destroying, which queues its destroy run (EnvironmentService.reapExpired).
 */
export class ReaperJob {
  static readonly id = 'environments-reaper';

  static async start(
    { scheduler, logger }: JobContext,
    deps: { service: Pick<EnvironmentService, 'reapExpired'> },
  ): Promise<ReaperJob> {
    const job = new ReaperJob(deps.service, logger);
    await scheduler.scheduleTask({
      id: ReaperJob.id,
      scope: 'global',
      frequency: { minutes: 1 },
      timeout: { minutes: 5 },
      fn: async () => {
        await job.run();
      },
    });
    return job;
  }

  private constructor(
    private readonly service: Pick<EnvironmentService, 'reapExpired'>,
    private readonly logger: JobContext['logger'],
  ) {}

  /** One pass at `now`; returns the environments sent to destroying. */
  async run(now = new Date()): Promise<EnvironmentRecord[]> {
    const reaped = await this.service.reapExpired(now);
    if (reaped.length)
      this.logger.info(
        `reaper: ${reaped.length} expired environment(s) sent to destroying`,
      );
    return reaped;
  }
}
