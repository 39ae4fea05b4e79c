import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import {
  Benchmark,
  METRIC_NAMES,
  MetricName,
} from '@internal/plugin-dora-common';
import path from 'node:path';
import { DORA_CONFIG_DEFAULTS } from './config/defaults';
import { assertDoraProductionConfig } from './config/productionChecks';
import { readSources, WebhookSource } from './ingest/sources';
import type { ProcessorOptions } from './ingest/DeliveryProcessor';
import { readOrgBenchmarks } from './metrics/orgBenchmarks';

export { DORA_CONFIG_DEFAULTS };

/**
 * The dora plugin's configuration, read and checked once at start, in the shapes its parts take
 * (durations in milliseconds where code needs a number).
 */
export interface DoraConfig {
  sources: Map<string, WebhookSource>;
  maxPayloadBytes: number;
  /** The normaliser's options: dora.productionEnvironments (lower case), dora.linking, dora.processing. */
  processor: Required<ProcessorOptions>;
  /** When to normalise: right after a delivery is stored (immediate), and how often on each replica. */
  processing: { immediate: boolean; frequency: HumanDuration };
  /** dora.metrics: the default benchmark, the organisation's own, and the minimum sample size. */
  metrics: {
    defaultBenchmark: string;
    benchmarks: Record<string, Benchmark>;
    minimumSample: Record<MetricName, number>;
  };
  /** Where the scorecards are read from: a local folder (`dir`) or a folder in git (`url`), never both. */
  scorecards: (
    | { dir: string; url?: undefined }
    | { url: string; dir?: undefined }
  ) & {
    frequency: HumanDuration;
    initialDelay: HumanDuration;
    /** How often the definitions are read again from `url`. */
    refreshFrequency: HumanDuration;
  };
  scaffolder: { sync: boolean; frequency: HumanDuration };
  /** The source the demo history is signed for, and its repositories, when dora.demo.seed is on. */
  demo?: { source: WebhookSource; repositories?: string[] };
}

/** A duration key and, for configs written before durations, the number key it replaces. */
type Legacy = { key: string; unit: keyof HumanDuration };

/**
 * A HumanDuration (`{ minutes: 15 }`, `'15m'`, ISO 8601) at `key`; else the number at the
 * deprecated `legacy.key` in its unit; else the default. Both at once is refused.
 */
function duration(
  config: Config,
  key: string,
  fallback: HumanDuration,
  legacy?: Legacy,
): HumanDuration {
  const old = legacy && config.getOptionalNumber(legacy.key);
  if (config.has(key)) {
    if (old !== undefined)
      throw new Error(
        `${legacy!.key}: set ${key} (a duration) instead, not both`,
      );
    try {
      return readDurationFromConfig(config, { key });
    } catch (e) {
      throw new Error(
        `${key}: must be a duration, like { minutes: 15 } or '15m' (${
          (e as Error).message
        })`,
      );
    }
  }
  return old === undefined ? fallback : { [legacy!.unit]: old };
}

const ms = (d: HumanDuration) => durationToMilliseconds(d);
/** owner/name: one segment each, no slash, dot-dot or space (linear: one character class each). */
const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/**
 * dora.scorecards.url (a folder in git, read through the integrations), else dora.scorecards.dir
 * (absolute, resolved against the backend's working directory; the default). Both is refused.
 */
function scorecardSource(config: Config): { dir: string } | { url: string } {
  const dir = config.getOptionalString('dora.scorecards.dir');
  const url = config.getOptionalString('dora.scorecards.url');
  if (url === undefined)
    return { dir: path.resolve(dir ?? DORA_CONFIG_DEFAULTS.scorecards.dir) };
  if (dir !== undefined)
    throw new Error(
      'dora.scorecards.dir, dora.scorecards.url: set one of them, not both (a local folder or a folder in git)',
    );
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !/^https?:$/.test(parsed.protocol))
    throw new Error(
      'dora.scorecards.url: must be an http(s) URL of a folder in git, like https://git.example.com/acme/platform/src/branch/main/scorecards',
    );
  if (parsed.username || parsed.password)
    throw new Error(
      'dora.scorecards.url: must not carry credentials; the integrations section gives them',
    );
  return { url };
}

/**
 * dora.* from config, with every default filled in (DORA_CONFIG_DEFAULTS). With NODE_ENV=production
 * it first refuses development defaults (config/productionChecks.ts), naming each key.
 */
export function readDoraConfig(
  config: Config,
  options: { nodeEnv?: string } = {},
): DoraConfig {
  assertDoraProductionConfig(
    config,
    'nodeEnv' in options ? options.nodeEnv : process.env.NODE_ENV,
  );
  const d = DORA_CONFIG_DEFAULTS;
  const sources = readSources(config);
  const minimum =
    config.getOptionalNumber('dora.metrics.minimumSampleSize') ??
    d.metrics.minimumSampleSize;
  const dora: DoraConfig = {
    sources,
    maxPayloadBytes:
      config.getOptionalNumber('dora.maxPayloadBytes') ?? d.maxPayloadBytes,
    processor: {
      productionEnvironments: (
        config.getOptionalStringArray('dora.productionEnvironments') ?? [
          ...d.productionEnvironments,
        ]
      ).map(e => e.toLowerCase()),
      link: {
        firstDeploymentLookbackMs: ms(
          duration(
            config,
            'dora.linking.firstDeploymentLookback',
            d.linking.firstDeploymentLookback,
            { key: 'dora.linking.firstDeploymentLookbackDays', unit: 'days' },
          ),
        ),
        incidentWindowMs: ms(
          duration(
            config,
            'dora.linking.incidentWindow',
            d.linking.incidentWindow,
            { key: 'dora.linking.incidentWindowHours', unit: 'hours' },
          ),
        ),
      },
      batchSize: d.processing.batchSize,
      quietMs: ms(
        duration(
          config,
          'dora.processing.quietPeriod',
          d.processing.quietPeriod,
          { key: 'dora.processing.quietMs', unit: 'milliseconds' },
        ),
      ),
      maxDelayMs: ms(
        duration(config, 'dora.processing.maxDelay', d.processing.maxDelay, {
          key: 'dora.processing.maxDelayMs',
          unit: 'milliseconds',
        }),
      ),
    },
    processing: {
      immediate:
        config.getOptionalBoolean('dora.processing.immediate') ??
        d.processing.immediate,
      frequency: duration(
        config,
        'dora.processing.frequency',
        d.processing.frequency,
        { key: 'dora.processing.frequencySeconds', unit: 'seconds' },
      ),
    },
    metrics: {
      defaultBenchmark:
        config.getOptionalString('dora.metrics.benchmark') ??
        d.metrics.benchmark,
      benchmarks: readOrgBenchmarks(config),
      minimumSample: Object.fromEntries(
        METRIC_NAMES.map(m => [m, minimum]),
      ) as Record<MetricName, number>,
    },
    scorecards: {
      ...scorecardSource(config),
      frequency: duration(
        config,
        'dora.scorecards.frequency',
        d.scorecards.frequency,
        { key: 'dora.scorecards.frequencyMinutes', unit: 'minutes' },
      ),
      initialDelay: duration(
        config,
        'dora.scorecards.initialDelay',
        d.scorecards.initialDelay,
        { key: 'dora.scorecards.initialDelaySeconds', unit: 'seconds' },
      ),
      refreshFrequency: duration(
        config,
        'dora.scorecards.refreshFrequency',
        d.scorecards.refreshFrequency,
      ),
    },
    scaffolder: {
      sync:
        config.getOptionalBoolean('dora.scaffolder.sync') ?? d.scaffolder.sync,
      frequency: duration(
        config,
        'dora.scaffolder.frequency',
        d.scaffolder.frequency,
        { key: 'dora.scaffolder.frequencyMinutes', unit: 'minutes' },
      ),
    },
  };
  if (config.getOptionalBoolean('dora.demo.seed') ?? d.demo.seed) {
    const id = config.getOptionalString('dora.demo.source') ?? d.demo.source;
    const source = sources.get(id);
    if (!source)
      throw new Error(`dora.demo.source: '${id}' is not one of dora.sources`);
    const repositories = config.getOptionalStringArray(
      'dora.demo.repositories',
    );
    repositories?.forEach((r, i) => {
      if (!REPOSITORY.test(r))
        throw new Error(
          `dora.demo.repositories[${i}]: '${r}' must be owner/name (letters, digits, '.', '_' and '-')`,
        );
    });
    dora.demo = { source, repositories };
  }
  return dora;
}
