import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  METRIC_NAMES,
  MetricName,
  MetricsResult,
} from '@internal/plugin-dora-common';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useMemo, useState } from 'react';
import { doraApiRef } from '../api/DoraApi';
import { useLoad } from '../hooks/useLoad';
import { formatDate, noDeploymentsText, subjectKindOf } from '../lib/format';
import { METRIC_INFO } from '../lib/metricInfo';
import {
  DEFAULT_WINDOW,
  historyEnds,
  metricSeries,
  SeriesPoint,
  WindowDays,
} from '../lib/window';
import { BenchmarkCaption } from './BenchmarkCaption';
import { DrillDownPanel } from './DrillDownPanel';
import { MetricsGrid } from './MetricsGrid';
import { MetricTrendChart } from './MetricTrendChart';
import { WindowSelector } from './WindowSelector';

/**
 * The five DORA metrics of a component, a team (group ref) or the organisation over a chosen
 * window, with trend charts; selecting a metric shows the rows behind it.
 */
export function DoraMetricsView(props: { entity: string; title?: string }) {
  const { entity, title } = props;
  const api = useApi(doraApiRef);
  const [windowDays, setWindowDays] = useState<WindowDays>(DEFAULT_WINDOW);
  const [selected, setSelected] = useState<MetricName | undefined>();
  const current = useLoad(
    () => api.getMetrics({ entity, windowDays }),
    [api, entity, windowDays],
  );
  const result =
    current.value?.windowDays === windowDays ? current.value : undefined;
  const to = result?.to;

  // Older windows for the charts: failures there only shorten the charts.
  const older = useLoad(
    () =>
      to
        ? Promise.all(
            historyEnds(to, windowDays).map(at =>
              api.getMetrics({ entity, windowDays, at }).catch(() => undefined),
            ),
          )
        : Promise.resolve([]),
    [api, entity, windowDays, to],
  );
  const history = useMemo((): Partial<Record<MetricName, SeriesPoint[]>> => {
    if (!result) return {};
    const all = [
      result,
      ...(older.value ?? []).filter(
        (r): r is MetricsResult => r?.windowDays === windowDays,
      ),
    ];
    return Object.fromEntries(
      METRIC_NAMES.map(m => [m, metricSeries(all, m)]),
    ) as Record<MetricName, SeriesPoint[]>;
  }, [result, older.value, windowDays]);

  const noDeployments =
    result && result.metrics.deploymentFrequency?.sampleSize === 0;

  return (
    <Box>
      <Box
        sx={{
          display: 'flex',
          alignItems: 'center',
          gap: 2,
          flexWrap: 'wrap',
          mb: 2,
        }}
      >
        {title && (
          <Typography variant="h5" component="h2">
            {title}
          </Typography>
        )}
        <WindowSelector value={windowDays} onChange={setWindowDays} />
        {result && (
          <Typography variant="body2" color="text.secondary">
            {formatDate(result.from)} to {formatDate(result.to)}, against the{' '}
            {windowDays} days before
          </Typography>
        )}
      </Box>
      {current.loading && <Progress />}
      {current.error && <ResponseErrorPanel error={current.error} />}
      {result && (
        <>
          {noDeployments && (
            <Alert severity="info" sx={{ mb: 2 }}>
              {noDeploymentsText(subjectKindOf(entity), windowDays)}
            </Alert>
          )}
          <MetricsGrid
            result={result}
            history={history}
            selected={selected}
            onSelect={m => setSelected(s => (s === m ? undefined : m))}
          />
          <BenchmarkCaption benchmark={result.benchmark} />
          {selected && (
            <Paper variant="outlined" sx={{ p: 2, mt: 2 }}>
              <MetricTrendChart
                title={METRIC_INFO[selected].title}
                unit={result.metrics[selected].unit}
                series={history[selected] ?? []}
                windowDays={windowDays}
              />
              <Box sx={{ mt: 2 }}>
                <DrillDownPanel
                  entity={entity}
                  metric={selected}
                  windowDays={windowDays}
                  at={result.to}
                />
              </Box>
            </Paper>
          )}
        </>
      )}
    </Box>
  );
}
