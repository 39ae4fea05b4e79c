import { Config } from '@backstage/config';
import {
  Benchmark,
  METRIC_NAMES,
  MetricName,
} from '@internal/plugin-dora-common';

/** The organisation's own benchmarks from dora.metrics.benchmarks. */
export function readOrgBenchmarks(config: Config): Record<string, Benchmark> {
  const root = config.getOptionalConfig('dora.metrics.benchmarks');
  const out: Record<string, Benchmark> = {};
  for (const name of root?.keys() ?? []) {
    const c = root!.getConfig(name);
    const thresholds: Benchmark['thresholds'] = {};
    const t = c.getConfig('thresholds');
    for (const metric of t.keys()) {
      if (!METRIC_NAMES.includes(metric as MetricName)) {
        throw new Error(
          `dora.metrics.benchmarks.${name}.thresholds.${metric}: must be one of ${METRIC_NAMES.join(
            ', ',
          )}`,
        );
      }
      const m = t.getConfig(metric);
      thresholds[metric as MetricName] = {
        elite: m.getNumber('elite'),
        high: m.getNumber('high'),
        medium: m.getNumber('medium'),
      };
    }
    out[name] = {
      name,
      description:
        c.getOptionalString('description') ?? `organisation benchmark ${name}`,
      thresholds,
    };
  }
  return out;
}
