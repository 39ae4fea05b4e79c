import { MetricValue } from '@internal/plugin-dora-common';
import Typography from '@mui/material/Typography';
import { trendDisplay } from '../lib/trend';

/** The move against the previous window: an arrow coloured by whether it is good, and what it was. */
export function TrendIndicator(props: {
  metric: MetricValue;
  windowDays: number;
}) {
  const t = trendDisplay(props.metric, props.windowDays);
  const color = t.color === 'text' ? 'text.secondary' : `${t.color}.main`;
  return (
    <Typography
      variant="body2"
      color={color}
      aria-label={`trend ${t.label}`}
      title={t.detail}
    >
      <span aria-hidden>{t.arrow}</span> {t.label}
      <Typography
        component="span"
        variant="caption"
        color="text.secondary"
        display="block"
      >
        {t.detail}
      </Typography>
    </Typography>
  );
}
