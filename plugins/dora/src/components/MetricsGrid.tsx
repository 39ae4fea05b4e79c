import {
  METRIC_NAMES,
  MetricName,
  MetricsResult,
} from '@internal/plugin-dora-common';
import Box from '@mui/material/Box';
import { SeriesPoint } from '../lib/window';
import { MetricTile } from './MetricTile';

/** The five metrics side by side. */
export function MetricsGrid(props: {
  result: MetricsResult;
  history: Partial<Record<MetricName, SeriesPoint[]>>;
  selected?: MetricName;
  onSelect: (metric: MetricName) => void;
}) {
  const { result, history, selected, onSelect } = props;
  return (
    <Box
      role="list"
      aria-label="DORA metrics"
      sx={{
        display: 'grid',
        gap: 2,
        gridTemplateColumns: 'repeat(auto-fill, minmax(230px, 1fr))',
        mb: 2,
      }}
    >
      {METRIC_NAMES.filter(name => result.metrics[name]).map(name => (
        <Box role="listitem" key={name}>
          <MetricTile
            metric={result.metrics[name]}
            benchmark={result.benchmark}
            windowDays={result.windowDays}
            history={history[name]}
            selected={selected === name}
            onSelect={() => onSelect(name)}
          />
        </Box>
      ))}
    </Box>
  );
}
