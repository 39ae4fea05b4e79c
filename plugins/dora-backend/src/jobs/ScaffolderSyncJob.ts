import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { HumanDuration } from '@backstage/types';
import { ScaffolderTaskSync } from '../platform/ScaffolderTaskSync';

/** Reads template runs from the scaffolder's API (one replica at a time). */
export class ScaffolderSyncJob {
  static readonly id = 'dora-scaffolder-sync';

  constructor(
    private readonly deps: {
      scheduler: SchedulerService;
      logger: LoggerService;
      sync: Pick<ScaffolderTaskSync, 'sync'>;
      /** dora.scaffolder.frequency */
      frequency: HumanDuration;
    },
  ) {}

  async schedule(): Promise<void> {
    await this.deps.scheduler.scheduleTask({
      id: ScaffolderSyncJob.id,
      scope: 'global',
      frequency: this.deps.frequency,
      initialDelay: { minutes: 1 },
      timeout: { minutes: 5 },
      fn: async () => {
        await this.run();
      },
    });
  }

  /** Returns how many template runs were recorded. */
  async run(): Promise<number> {
    const n = await this.deps.sync.sync();
    this.deps.logger.info(`scaffolder sync: ${n} template run(s) recorded`);
    return n;
  }
}
