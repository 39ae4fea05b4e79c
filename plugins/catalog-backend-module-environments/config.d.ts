import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  catalog?: {
    providers?: {
      /** The sandbox environments entity provider (@internal/plugin-catalog-backend-module-environments). */
      environments?: {
        /**
         * How often the provider copies the environments into the catalog (default: every 15
         * seconds, a timeout of 1 minute, a first run 5 seconds after start).
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
  };
}
