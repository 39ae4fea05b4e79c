import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { DeliveryProcessor } from '../ingest/DeliveryProcessor';

/**
 * Gives rows stored before the catalog knew their repository or service to the component that
 * claims them now (one replica at a time).
 */
export class ReattributeJob {
  static readonly id = 'dora-reattribute';

  constructor(
    private readonly deps: {
      scheduler: SchedulerService;
      logger: LoggerService;
      processor: Pick<DeliveryProcessor, 'reattribute'>;
    },
  ) {}

  async schedule(): Promise<void> {
    await this.deps.scheduler.scheduleTask({
      id: ReattributeJob.id,
      scope: 'global',
      frequency: { minutes: 5 },
      initialDelay: { minutes: 1 },
      timeout: { minutes: 5 },
      fn: async () => {
        await this.run();
      },
    });
  }

  /** Returns the subjects whose rows moved to a component. */
  async run(): Promise<string[]> {
    const moved = await this.deps.processor.reattribute();
    if (moved.length)
      this.deps.logger.info(
        `attributed the rows of ${moved.join(
          ', ',
        )} to components the catalog now knows`,
      );
    return moved;
  }
}
