import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { METRIC_NAMES } from '@internal/plugin-dora-common';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { doraApiRef } from '../api/DoraApi';
import { useLoad } from '../hooks/useLoad';
import { MetricCell } from './MetricCell';

/** One team (or the organisation) with its five metrics, loaded on its own. */
export function TeamMetricsRow(props: {
  entity: string;
  name: string;
  href?: string;
  windowDays: number;
  scorecards?: string;
}) {
  const { entity, name, href, windowDays, scorecards } = props;
  const api = useApi(doraApiRef);
  const metrics = useLoad(
    () => api.getMetrics({ entity, windowDays }),
    [api, entity, windowDays],
  );
  const result =
    metrics.value?.windowDays === windowDays ? metrics.value : undefined;
  return (
    <TableRow>
      <TableCell component="th" scope="row">
        {href ? <Link to={href}>{name}</Link> : <strong>{name}</strong>}
      </TableCell>
      {metrics.error ? (
        <TableCell colSpan={METRIC_NAMES.length}>
          <Typography variant="body2" color="error">
            {metrics.error.message}
          </Typography>
        </TableCell>
      ) : (
        METRIC_NAMES.map(m => (
          <TableCell key={m}>
            {result ? (
              <MetricCell
                metric={result.metrics[m]}
                benchmark={result.benchmark}
                windowDays={windowDays}
              />
            ) : (
              '…'
            )}
          </TableCell>
        ))
      )}
      <TableCell>{scorecards ?? '—'}</TableCell>
    </TableRow>
  );
}
