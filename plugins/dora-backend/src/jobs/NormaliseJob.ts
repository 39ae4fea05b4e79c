import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { HumanDuration } from '@backstage/types';
import { DeliveryProcessor } from '../ingest/DeliveryProcessor';

/**
 * Works the delivery queue on every replica (scope local: claims are atomic, so replicas share the
 * queue), as a backstop to the processor's kick after each stored delivery.
 */
export class NormaliseJob {
  static readonly id = 'dora-normalise';

  constructor(
    private readonly deps: {
      scheduler: SchedulerService;
      logger: LoggerService;
      processor: Pick<DeliveryProcessor, 'drain'>;
      /** dora.processing.frequency */
      frequency: HumanDuration;
    },
  ) {}

  async schedule(): Promise<void> {
    await this.deps.scheduler.scheduleTask({
      id: NormaliseJob.id,
      scope: 'local',
      frequency: this.deps.frequency,
      timeout: { minutes: 5 },
      fn: () => this.run(),
    });
  }

  /** Normalises until nothing is due. */
  async run(): Promise<void> {
    try {
      await this.deps.processor.drain();
    } catch (e) {
      this.deps.logger.error(`normalising deliveries failed: ${e}`);
      throw e;
    }
  }
}
