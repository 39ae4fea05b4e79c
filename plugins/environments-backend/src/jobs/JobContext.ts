import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { EnvironmentsConfig } from '../config';

/** What every scheduled job of the plugin starts with; each takes its own dependencies besides. */
export interface JobContext {
  scheduler: SchedulerService;
  logger: LoggerService;
  config: EnvironmentsConfig;
}
