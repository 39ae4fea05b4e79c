import { useApi } from '@backstage/core-plugin-api';
import {
  DORA_MAX_METRICS_BATCH,
  MetricsResult,
} from '@internal/plugin-dora-common';
import { useEffect, useState } from 'react';
import { doraApiRef } from '../api/DoraApi';

export type MetricsOf = Record<
  string,
  { value?: MetricsResult; error?: Error } | undefined
>;

/**
 * The metrics of several entities over one window, asked DORA_MAX_METRICS_BATCH at a time (one
 * POST /metrics/batch each, all at once): the map fills in as the answers come (undefined while an
 * entity's is on its way), each entity with its value or its own error (a request that fails is
 * the error of each of its entities), and starts afresh when the entities or the window change.
 */
export function useMetricsOfMany(
  entities: string[],
  windowDays: number,
): MetricsOf {
  const api = useApi(doraApiRef);
  const [metrics, setMetrics] = useState<MetricsOf>({});
  const key = entities.join('\n');
  useEffect(() => {
    let current = true;
    setMetrics({});
    const all = key ? key.split('\n') : [];
    const answer = (
      chunk: string[],
      of: (entity: string, i: number) => MetricsOf[string],
    ) =>
      current &&
      setMetrics(m => ({
        ...m,
        ...Object.fromEntries(
          chunk.map((entity, i) => [entity, of(entity, i)]),
        ),
      }));
    for (let i = 0; i < all.length; i += DORA_MAX_METRICS_BATCH) {
      const chunk = all.slice(i, i + DORA_MAX_METRICS_BATCH);
      api.getMetricsBatch({ entities: chunk, windowDays }).then(
        items =>
          answer(chunk, (entity, k) => {
            const item = items[k];
            if (!item) return { error: new Error(`no answer for ${entity}`) };
            return item.error ? { error: item.error } : { value: item.value };
          }),
        error => answer(chunk, () => ({ error })),
      );
    }
    return () => {
      current = false;
    };
  }, [api, key, windowDays]);
  return metrics;
}
