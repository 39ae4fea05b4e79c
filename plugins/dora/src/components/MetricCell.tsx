import { MetricValue } from '@internal/plugin-dora-common';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { formatMetric, insufficientDataText } from '../lib/format';
import { noLevelReason } from '../lib/levels';
import { trendDisplay } from '../lib/trend';
import { LevelBadge } from './LevelBadge';

/** A metric in a table cell: value, level and trend arrow; "insufficient data" when flagged. */
export function MetricCell(props: {
  metric?: MetricValue;
  benchmark: string;
  windowDays: number;
}) {
  const { metric, benchmark, windowDays } = props;
  if (!metric) return <>—</>;
  const trend = trendDisplay(metric, windowDays);
  const color =
    trend.color === 'text' ? 'text.secondary' : `${trend.color}.main`;
  return (
    <Box>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
        <span>{formatMetric(metric)}</span>
        <Typography
          component="span"
          color={color}
          title={`${trend.label}; ${trend.detail}`}
          aria-label={`trend ${trend.label}`}
        >
          {trend.arrow}
        </Typography>
      </Box>
      {metric.insufficientData ? (
        <Typography variant="caption" color="warning.main">
          {insufficientDataText(metric)}
        </Typography>
      ) : (
        <LevelBadge
          level={metric.level}
          benchmark={benchmark}
          reason={noLevelReason(metric)}
        />
      )}
    </Box>
  );
}
