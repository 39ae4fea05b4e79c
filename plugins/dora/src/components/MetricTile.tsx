import { MetricValue } from '@internal/plugin-dora-common';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardActionArea from '@mui/material/CardActionArea';
import CardContent from '@mui/material/CardContent';
import Typography from '@mui/material/Typography';
import {
  formatMetric,
  formatValue,
  insufficientDataText,
  metricDetailText,
  sampleLabel,
} from '../lib/format';
import { noLevelReason } from '../lib/levels';
import { METRIC_INFO } from '../lib/metricInfo';
import { SeriesPoint } from '../lib/window';
import { LevelBadge } from './LevelBadge';
import { Sparkline } from './Sparkline';
import { TrendIndicator } from './TrendIndicator';

/**
 * One metric: its number, sample size (or "insufficient data"), level, trend against the
 * previous window and recent history. The tile is a button named after the metric; pressing it
 * opens the rows behind the number.
 */
export function MetricTile(props: {
  metric: MetricValue;
  benchmark: string;
  windowDays: number;
  history?: SeriesPoint[];
  selected: boolean;
  onSelect: () => void;
}) {
  const { metric, benchmark, windowDays, history, selected, onSelect } = props;
  const info = METRIC_INFO[metric.name];
  const detail = metricDetailText(metric);
  const reason = noLevelReason(metric);
  return (
    <Card
      variant="outlined"
      sx={{
        height: '100%',
        borderColor: selected ? 'primary.main' : undefined,
        borderWidth: selected ? 2 : 1,
      }}
    >
      <CardActionArea
        onClick={onSelect}
        aria-label={info.title}
        aria-pressed={selected}
        sx={{ height: '100%', alignItems: 'flex-start' }}
      >
        <CardContent>
          <Typography
            variant="subtitle2"
            color="text.secondary"
            title={info.description}
          >
            {info.title}
          </Typography>
          <Typography
            variant="h4"
            component="p"
            data-testid={`value-${metric.name}`}
          >
            {formatMetric(metric)}
          </Typography>
          {detail && (
            <Typography variant="body2" color="text.secondary">
              {detail}
            </Typography>
          )}
          <Typography
            variant="body2"
            color={metric.insufficientData ? 'warning.main' : 'text.secondary'}
            sx={{ mt: 0.5 }}
          >
            {metric.insufficientData
              ? insufficientDataText(metric)
              : sampleLabel(metric)}
          </Typography>
          <Box sx={{ my: 1 }}>
            <LevelBadge
              level={metric.level}
              benchmark={benchmark}
              reason={reason}
            />
          </Box>
          <TrendIndicator metric={metric} windowDays={windowDays} />
          {history && (
            <Sparkline
              data={history}
              label={`${info.title} over the last ${history.length} windows`}
              format={v => formatValue(metric.unit, v)}
            />
          )}
        </CardContent>
      </CardActionArea>
    </Card>
  );
}
