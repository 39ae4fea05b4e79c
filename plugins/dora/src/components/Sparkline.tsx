import { useTheme } from '@mui/material/styles';
import { Line, LineChart, Tooltip, YAxis } from 'recharts';

export interface SparkPoint {
  label: string;
  value?: number;
}

/** A small line without axes: a metric's or a score's recent history. */
export function Sparkline(props: {
  data: SparkPoint[];
  label: string;
  width?: number;
  height?: number;
  format?: (v: number) => string;
  domain?: [number, number];
}) {
  const theme = useTheme();
  const { data, label, width = 160, height = 40, format, domain } = props;
  if (data.filter(p => p.value !== undefined).length < 2) return null;
  return (
    <div role="img" aria-label={label}>
      <LineChart
        width={width}
        height={height}
        data={data}
        margin={{ top: 4, right: 4, bottom: 4, left: 4 }}
      >
        <YAxis hide domain={domain ?? ['auto', 'auto']} />
        <Tooltip
          formatter={(v: unknown) =>
            typeof v === 'number' && format ? format(v) : String(v)
          }
          labelFormatter={(
            _: unknown,
            payload: ReadonlyArray<{ payload?: SparkPoint }>,
          ) => payload?.[0]?.payload?.label ?? ''}
        />
        <Line
          type="monotone"
          dataKey="value"
          stroke={theme.palette.primary.main}
          strokeWidth={2}
          dot={false}
          connectNulls
          isAnimationActive={false}
        />
      </LineChart>
    </div>
  );
}
