import { SchedulerService } from '@backstage/backend-plugin-api';
import { HumanDuration } from '@backstage/types';
import { ScorecardTreeReader } from '../scorecards/ScorecardTreeReader';

/**
 * Reads the scorecards folder in git (dora.scorecards.url) at start and on a schedule, on every
 * replica (scope local: each one answers the definitions from memory). A failed read is logged by
 * the reader and keeps the definitions read before; the task itself does not fail.
 */
export class ScorecardDefinitionsJob {
  static readonly id = 'dora-scorecard-definitions';

  constructor(
    private readonly deps: {
      scheduler: SchedulerService;
      reader: Pick<ScorecardTreeReader, 'refresh'>;
      /** dora.scorecards.refreshFrequency */
      frequency: HumanDuration;
    },
  ) {}

  async schedule(): Promise<void> {
    await this.deps.scheduler.scheduleTask({
      id: ScorecardDefinitionsJob.id,
      scope: 'local',
      frequency: this.deps.frequency,
      timeout: { minutes: 2 },
      fn: async signal => {
        await this.run(signal);
      },
    });
  }

  run(signal?: AbortSignal) {
    return this.deps.reader.refresh(signal);
  }
}
