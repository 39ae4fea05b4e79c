import {
  Progress,
  ResponseErrorPanel,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { TimeToFirstDeployRow } from '@internal/plugin-dora-common';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { doraApiRef } from '../api/DoraApi';
import { useLoad } from '../hooks/useLoad';
import { formatDateTime, formatHours, shortRef } from '../lib/format';
import { timeToFirstDeploySummary } from '../lib/platform';
import { NamedTable } from '@internal/plugin-platform-react';

const COLUMNS: TableColumn<TimeToFirstDeployRow>[] = [
  {
    title: 'Component',
    field: 'componentRef',
    render: r => shortRef(r.componentRef),
  },
  {
    title: 'Template',
    field: 'templateRef',
    render: r => shortRef(r.templateRef),
  },
  { title: 'Team', field: 'teamRef', render: r => shortRef(r.teamRef) },
  {
    title: 'Created',
    field: 'createdAt',
    render: r => formatDateTime(r.createdAt),
  },
  {
    title: 'First production deployment',
    field: 'firstDeployedAt',
    render: r =>
      r.firstDeployedAt ? formatDateTime(r.firstDeployedAt) : 'not yet',
  },
  {
    title: 'Time to first deploy',
    field: 'hours',
    type: 'numeric',
    render: r => (r.hours !== undefined ? formatHours(r.hours) : '—'),
  },
];

/** From the template run that created a service to its first production deployment. */
export function TimeToFirstDeployTable(props: { windowDays: number }) {
  const api = useApi(doraApiRef);
  const rows = useLoad(
    () => api.getTimeToFirstDeploy({ windowDays: props.windowDays }),
    [api, props.windowDays],
  );
  const summary = rows.value ? timeToFirstDeploySummary(rows.value) : undefined;
  return (
    <Box component="section" aria-label="Time to first deploy">
      <Typography variant="h5" component="h2" gutterBottom>
        Time to first deploy
      </Typography>
      {rows.loading && <Progress />}
      {rows.error && <ResponseErrorPanel error={rows.error} />}
      {rows.value && rows.value.length === 0 && (
        <Typography variant="body2" color="text.secondary">
          No services were created from a template in the last{' '}
          {props.windowDays} days.
        </Typography>
      )}
      {summary && rows.value && rows.value.length > 0 && (
        <>
          <Typography variant="body2" sx={{ mb: 1 }}>
            Median {formatHours(summary.medianHours)} over {summary.deployed}{' '}
            deployed service{summary.deployed === 1 ? '' : 's'}
            {summary.waiting > 0 &&
              `; ${summary.waiting} not deployed to production yet`}
            .
          </Typography>
          <NamedTable
            label="Time to first deploy"
            columns={COLUMNS}
            data={rows.value}
          />
        </>
      )}
    </Box>
  );
}
