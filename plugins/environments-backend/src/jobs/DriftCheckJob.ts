import { EnvironmentService } from '../service/EnvironmentService';
import { JobContext } from './JobContext';

/**
 * The drift check: hourly (first 5 minutes after start), on one replica at a time, queues a
 * refresh-only plan of every active environment (EnvironmentService.checkDrift); the run worker
 * sets or clears each one's drift flag.
 */
export class DriftCheckJob {
  static readonly id = 'environments-drift';

  static async start(
    { scheduler, logger }: JobContext,
    deps: { service: Pick<EnvironmentService, 'checkDrift'> },
  ): Promise<DriftCheckJob> {
    const job = new DriftCheckJob(deps.service, logger);
    await scheduler.scheduleTask({
      id: DriftCheckJob.id,
      scope: 'global',
      frequency: { hours: 1 },
      timeout: { minutes: 5 },
      initialDelay: { minutes: 5 },
      fn: async () => {
        await job.run();
      },
    });
    return job;
  }

  private constructor(
    private readonly service: Pick<EnvironmentService, 'checkDrift'>,
    private readonly logger: JobContext['logger'],
  ) {}

  /** One pass; returns how many environments got a refresh run. */
  async run(): Promise<number> {
    const n = await this.service.checkDrift();
    this.logger.info(`drift check queued for ${n} active environment(s)`);
    return n;
  }
}
