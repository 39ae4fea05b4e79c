import {
  LifecycleService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { DemoSeeder } from '../seed/DemoSeeder';

/**
 * Seeds the demo history once per start, when it is not stored yet: a task on manual trigger (one
 * replica at a time), triggered when the backend has started, since the seeder sends its deliveries
 * through the plugin's own webhook endpoint.
 */
export class DemoSeedJob {
  static readonly id = 'dora-demo-seed';

  constructor(
    private readonly deps: {
      scheduler: SchedulerService;
      lifecycle: LifecycleService;
      logger: LoggerService;
      seeder: Pick<DemoSeeder, 'seedIfEmpty'>;
    },
  ) {}

  async schedule(): Promise<void> {
    const { scheduler, lifecycle, logger } = this.deps;
    await scheduler.scheduleTask({
      id: DemoSeedJob.id,
      scope: 'global',
      frequency: { trigger: 'manual' },
      // waiting for the catalog (at most 5 minutes) and sending the history
      timeout: { minutes: 30 },
      fn: async () => {
        await this.run();
      },
    });
    lifecycle.addStartupHook(() => {
      // not awaited: the start does not wait for the seeding
      scheduler
        .triggerTask(DemoSeedJob.id)
        .catch(e => logger.warn(`demo data: not started: ${e}`));
    });
  }

  /** Returns how many deliveries were sent (0 when the history is stored already). */
  async run(): Promise<number> {
    try {
      return await this.deps.seeder.seedIfEmpty();
    } catch (e) {
      this.deps.logger.error(`demo data: seeding failed: ${e}`);
      throw e;
    }
  }
}
