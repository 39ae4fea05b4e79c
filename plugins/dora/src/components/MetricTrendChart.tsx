import { MetricValue } from '@internal/plugin-dora-common';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import {
  CartesianGrid,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { axisTick, chartValue, formatValue } from '../lib/format';
import { SeriesPoint } from '../lib/window';

/** One metric over consecutive windows of the selected length, with axes. */
export function MetricTrendChart(props: {
  title: string;
  unit: MetricValue['unit'];
  series: SeriesPoint[];
  windowDays: number;
}) {
  const theme = useTheme();
  const { title, unit, series, windowDays } = props;
  const data = series.map(p => ({ ...p, value: chartValue(unit, p.value) }));
  const tick = (v: number) => axisTick(unit, v);
  return (
    <div
      role="img"
      aria-label={`${title} over the last ${series.length} windows of ${windowDays} days`}
    >
      <Typography variant="subtitle2" gutterBottom>
        {title}, each point a {windowDays}-day window
      </Typography>
      {series.length < 2 ? (
        <Typography variant="body2" color="text.secondary">
          Not enough history for a chart yet.
        </Typography>
      ) : (
        <LineChart
          width={640}
          height={220}
          data={data}
          margin={{ top: 8, right: 24, bottom: 8, left: 8 }}
        >
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="label" />
          <YAxis tickFormatter={tick} width={72} />
          <Tooltip
            formatter={(v: unknown) =>
              typeof v === 'number'
                ? formatValue(unit, unit === 'ratio' ? v / 100 : v)
                : '—'
            }
            labelFormatter={(label: unknown) =>
              `window ending ${String(label)}`
            }
          />
          <Line
            type="monotone"
            dataKey="value"
            name={title}
            stroke={theme.palette.primary.main}
            strokeWidth={2}
            connectNulls
            isAnimationActive={false}
          />
        </LineChart>
      )}
    </div>
  );
}
