import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  RootConfigService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';

/** Where the provider's schedule is configured. */
export const SCHEDULE_CONFIG_KEY = 'catalog.providers.environments.schedule';

/**
 * The schedule when none is configured: every 15 seconds, so that a new environment shows in the
 * catalog soon after it is requested; a refresh is one paged list call, cheap at that rate.
 */
export const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { seconds: 15 },
  timeout: { minutes: 1 },
  initialDelay: { seconds: 5 },
};

/**
 * The entity provider's schedule: `catalog.providers.environments.schedule` (frequency, timeout,
 * initialDelay, scope, as every Backstage task schedule), or DEFAULT_SCHEDULE when it is unset.
 * A schedule that is set but wrong throws, naming the key.
 */
export function readProviderSchedule(
  config: RootConfigService,
): SchedulerServiceTaskScheduleDefinition {
  const schedule = config.getOptionalConfig(SCHEDULE_CONFIG_KEY);
  if (!schedule) return DEFAULT_SCHEDULE;
  try {
    return readSchedulerServiceTaskScheduleDefinitionFromConfig(schedule);
  } catch (e) {
    throw new Error(`${SCHEDULE_CONFIG_KEY}: ${(e as Error).message}`);
  }
}
