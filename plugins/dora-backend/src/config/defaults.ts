import { HumanDuration } from '@backstage/types';
import { DEFAULT_MAX_PAYLOAD_BYTES } from '../limits';

/**
 * Every default of the dora plugin's configuration (config.d.ts documents each key). Limits that
 * config can override are in limits.ts.
 */
export const DORA_CONFIG_DEFAULTS = {
  maxPayloadBytes: DEFAULT_MAX_PAYLOAD_BYTES,
  productionEnvironments: ['production', 'prod'],
  processing: {
    immediate: true,
    frequency: { seconds: 10 } as HumanDuration,
    quietPeriod: { milliseconds: 250 } as HumanDuration,
    maxDelay: { seconds: 2 } as HumanDuration,
    /** Deliveries claimed and normalised at a time (not configurable). */
    batchSize: 500,
  },
  linking: {
    firstDeploymentLookback: { days: 30 } as HumanDuration,
    incidentWindow: { hours: 24 } as HumanDuration,
  },
  metrics: { benchmark: '2024', minimumSampleSize: 3 },
  scorecards: {
    dir: '../../scorecards',
    frequency: { minutes: 60 } as HumanDuration,
    initialDelay: { seconds: 60 } as HumanDuration,
    /** Reading dora.scorecards.url again (an unchanged tree costs one request). */
    refreshFrequency: { minutes: 5 } as HumanDuration,
  },
  scaffolder: { sync: true, frequency: { minutes: 15 } as HumanDuration },
  demo: { seed: false, source: 'github-demo' },
} as const;
