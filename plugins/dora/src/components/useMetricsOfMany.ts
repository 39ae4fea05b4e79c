import { useApi } from '@backstage/core-plugin-api';
import { MetricsResult } from '@internal/plugin-dora-common';
import { useEffect, useState } from 'react';
import { doraApiRef } from '../api/DoraApi';

export type MetricsOf = Record<
  string,
  { value?: MetricsResult; error?: Error } | undefined
>;

/**
 * The metrics of several entities over one window, each loaded on its own: the map fills in as
 * the answers come (undefined while an entity's is on its way), and starts afresh when the
 * entities or the window change.
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
    (key ? key.split('\n') : []).forEach(entity =>
      api.getMetrics({ entity, windowDays }).then(
        value => current && setMetrics(m => ({ ...m, [entity]: { value } })),
        error => current && setMetrics(m => ({ ...m, [entity]: { error } })),
      ),
    );
    return () => {
      current = false;
    };
  }, [api, key, windowDays]);
  return metrics;
}
