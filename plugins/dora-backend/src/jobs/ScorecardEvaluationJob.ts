import { SchedulerService } from '@backstage/backend-plugin-api';
import { HumanDuration } from '@backstage/types';
import { ScorecardService } from '../scorecards/ScorecardService';

/** Evaluates every scorecard from git on the catalog (one replica at a time); results in the database. */
export class ScorecardEvaluationJob {
  static readonly id = 'dora-scorecards';

  constructor(
    private readonly deps: {
      scheduler: SchedulerService;
      scorecards: Pick<ScorecardService, 'evaluateAll'>;
      /** dora.scorecards.frequency */
      frequency: HumanDuration;
      /** dora.scorecards.initialDelay */
      initialDelay: HumanDuration;
    },
  ) {}

  async schedule(): Promise<void> {
    await this.deps.scheduler.scheduleTask({
      id: ScorecardEvaluationJob.id,
      scope: 'global',
      frequency: this.deps.frequency,
      initialDelay: this.deps.initialDelay,
      timeout: { minutes: 10 },
      fn: async () => {
        await this.run();
      },
    });
  }

  run() {
    return this.deps.scorecards.evaluateAll();
  }
}
